namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// An attempt's training diverged: the loss <see cref="Metric"/> was <see cref="Value"/> at global step <see cref="Step"/>.
/// <see cref="Value"/> is NaN or infinite, so it travels as the string "NaN", "Infinity" or "-Infinity".
/// </summary>
public sealed class DivergenceDto
{
    public long? Step { get; init; }

    public string? Metric { get; init; }

    public double? Value { get; init; }
}
