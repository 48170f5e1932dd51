namespace SweepCluster.Coordinator.Contracts;

/// <summary>How many points of a batch were new (a retried batch adds none).</summary>
public sealed record MetricsResponse(int Added);
