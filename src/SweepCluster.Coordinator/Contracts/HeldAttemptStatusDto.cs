using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>What the silo must do with one held attempt (continue, cancel, release) and why.</summary>
public sealed record HeldAttemptStatusDto(string TrialId, int Attempt, HeldAttemptVerdict Verdict, DateTimeOffset? LeaseExpiresAt, string? Reason);
