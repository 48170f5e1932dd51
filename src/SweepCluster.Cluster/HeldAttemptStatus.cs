namespace SweepCluster.Cluster;

/// <summary>The coordinator's answer about one held attempt.</summary>
/// <param name="LeaseExpiresAt">The renewed lease, for <see cref="HeldAttemptVerdict.Continue"/>.</param>
/// <param name="Reason">Why the silo must stop, otherwise null.</param>
public sealed record HeldAttemptStatus(string TrialId, int Attempt, HeldAttemptVerdict Verdict, DateTimeOffset? LeaseExpiresAt, string? Reason);
