using System.Globalization;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// A loss became NaN or infinite during training: the run diverged and stops there, without a checkpoint or a
/// summary of that state. Its message is the reason the coordinator records, <c>diverged at step N (loss.X = NaN)</c>.
/// Another attempt from the same configuration and checkpoint would diverge again, so the trial is not retried.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, string metric, double value)
        : base(Reason(step, metric, value))
    {
        Step = step;
        Metric = metric;
        Value = value;
    }

    public TrainingDivergedException()
    {
        Metric = string.Empty;
    }

    public TrainingDivergedException(string message)
        : base(message)
    {
        Metric = string.Empty;
    }

    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Metric = string.Empty;
    }

    /// <summary>The global 1-based step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The loss's protocol name (<c>loss.cross</c>).</summary>
    public string Metric { get; }

    /// <summary>NaN, or an infinity.</summary>
    public double Value { get; }

    /// <summary><c>diverged at step N (loss.X = NaN)</c>, the value as the invariant culture writes it (<c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>).</summary>
    public static string Reason(long step, string metric, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"diverged at step {step} ({metric} = {value})");

    /// <summary>
    /// The first loss (a metric named <c>loss...</c>, in ordinal order of names) of one step that is NaN or infinite;
    /// null when every loss is finite. Other metrics (gradient norms, the learning rate) do not count.
    /// </summary>
    public static KeyValuePair<string, double>? FirstNonFiniteLoss(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var metric in metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (metric.Key.StartsWith("loss", StringComparison.Ordinal) && !double.IsFinite(metric.Value))
            {
                return metric;
            }
        }

        return null;
    }
}
