using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>A stored sweep with how many of its trials are in each state.</summary>
public sealed record SweepRecord(NewSweep Sweep, DateTimeOffset SubmittedAt, DateTimeOffset? CancelledAt, IReadOnlyDictionary<TrialState, int> TrialCounts);
