namespace SweepCluster.Coordinator.Contracts;

/// <summary>One metric point as a silo reports it. <see cref="Value"/> may be NaN (written as the string "NaN").</summary>
public sealed class MetricPointDto
{
    public long? Step { get; init; }

    public string? Name { get; init; }

    public double? Value { get; init; }

    public int? Epoch { get; init; }

    /// <summary><c>step</c>, <c>epoch</c> or <c>eval</c>.</summary>
    public string? Kind { get; init; }
}
