using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster;

/// <summary>An attempt a silo is running, as its heartbeat reports it.</summary>
public sealed record HeldAttempt(string TrialId, int Attempt, AttemptProgress? Progress);
