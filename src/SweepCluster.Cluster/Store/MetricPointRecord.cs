namespace SweepCluster.Cluster.Store;

/// <summary>A stored metric point with the attempt that reported it.</summary>
public sealed record MetricPointRecord(string TrialId, int Attempt, MetricPoint Point, DateTimeOffset RecordedAt);
