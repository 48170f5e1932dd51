namespace SweepCluster.Cluster.Reports;

/// <summary>One outcome of one configuration over its succeeded seeds.</summary>
/// <param name="Std">The sample standard deviation (divisor n - 1); null when <paramref name="N"/> is 1.</param>
/// <param name="N">How many seeds reported the value.</param>
public sealed record MeasuredStat(double Mean, double? Std, int N)
{
    /// <summary>Mean and sample standard deviation of finite values; null when there are none.</summary>
    public static MeasuredStat? Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        var mean = values.Average();
        if (values.Count == 1)
        {
            return new MeasuredStat(mean, null, 1);
        }

        var sumOfSquares = values.Sum(v => (v - mean) * (v - mean));
        return new MeasuredStat(mean, Math.Sqrt(sumOfSquares / (values.Count - 1)), values.Count);
    }
}
