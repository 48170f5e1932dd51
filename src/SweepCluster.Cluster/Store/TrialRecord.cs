using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>A stored trial: what was submitted, and where it stands.</summary>
public sealed record TrialRecord(NewTrial Definition, TrialSnapshot Snapshot);
