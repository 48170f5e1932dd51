using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>What a claim decided: the lease transitions to apply, and the reasons to record for trials left pending.</summary>
public sealed record ClaimPlan(IReadOnlyList<TrialChange> Leases, IReadOnlyDictionary<string, string> PendingReasons);
