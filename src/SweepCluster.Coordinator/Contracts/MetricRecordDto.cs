namespace SweepCluster.Coordinator.Contracts;

/// <summary>A stored metric point with the attempt that reported it.</summary>
public sealed record MetricRecordDto(int Attempt, long Step, string Name, double Value, int? Epoch, string Kind, DateTimeOffset RecordedAt);
