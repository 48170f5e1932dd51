namespace SweepCluster.Denoising.Training;

/// <summary>Where a metric point comes from: one step, an epoch's mean, or a validation evaluation.</summary>
public enum MetricKind
{
    Step,
    Epoch,
    Eval,
}
