using System.Globalization;

namespace SweepCluster.Silo.Wire;

/// <summary>The attempt's loss <paramref name="Metric"/> became <paramref name="Value"/> (NaN or infinite) at global step <paramref name="Step"/>.</summary>
public sealed record DivergenceReport(long Step, string Metric, double Value)
{
    /// <summary>The coordinator's wording: <c>diverged at step N (loss.X = NaN)</c>.</summary>
    public string Reason => string.Create(CultureInfo.InvariantCulture, $"diverged at step {Step} ({Metric} = {Value})");
}
