using System.Globalization;

namespace SweepCluster.Cluster.Lifecycle;

/// <summary>
/// An attempt's training diverged: its loss <paramref name="Metric"/> was <paramref name="Value"/> (NaN or infinite) at
/// global step <paramref name="Step"/>. A retry from the same configuration and checkpoint would diverge again.
/// </summary>
public sealed record Divergence(long Step, string Metric, double Value)
{
    /// <summary>
    /// The trial's failure reason, <c>diverged at step N (loss.X = NaN)</c>, the value as the invariant culture writes
    /// it (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>).
    /// </summary>
    public string Reason => string.Create(CultureInfo.InvariantCulture, $"diverged at step {Step} ({Metric} = {Value})");
}
