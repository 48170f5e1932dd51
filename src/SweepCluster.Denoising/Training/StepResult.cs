namespace SweepCluster.Denoising.Training;

/// <summary>
/// One optimizer step: its 1-based <paramref name="Epoch"/>, 1-based global <paramref name="Step"/>, the step's
/// metrics by protocol name (<c>loss.*</c>, <c>z_distance</c>, <c>grad_norm.*</c>, <c>lr</c>) and, when the step
/// ended its epoch, the epoch's means of the same names.
/// </summary>
public sealed record StepResult(
    int Epoch,
    long Step,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, double>? EpochMeans);
