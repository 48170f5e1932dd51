namespace SweepCluster.Silo.Wire;

/// <summary>The coordinator's answer about one held attempt.</summary>
public sealed record HeartbeatVerdict(string TrialId, int Attempt, AttemptVerdict Verdict, DateTimeOffset? LeaseExpiresAt, string? Reason);
