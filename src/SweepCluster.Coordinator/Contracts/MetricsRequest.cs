namespace SweepCluster.Coordinator.Contracts;

/// <summary>A batch of metric points of one attempt. Idempotent on (attempt, step, name).</summary>
public sealed class MetricsRequest
{
    public IReadOnlyList<MetricPointDto?>? Points { get; init; }
}
