namespace SweepCluster.Silo.Wire;

/// <summary>An attempt this silo is running, as a heartbeat reports it.</summary>
public sealed record HeldAttemptReport(string TrialId, int Attempt, ProgressReport? Progress);
