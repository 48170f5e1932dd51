using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// A stored sweep: its current definition, its revision (1, then one more for each submission of a different
/// definition) and how many of the trials its current revision lists are in each state (removed trials are not counted).
/// </summary>
public sealed record SweepRecord(NewSweep Sweep, DateTimeOffset SubmittedAt, DateTimeOffset? CancelledAt, IReadOnlyDictionary<TrialState, int> TrialCounts, int Revision = 1);
