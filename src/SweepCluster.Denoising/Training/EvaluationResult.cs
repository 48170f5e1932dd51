using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// One evaluation over the validation set. <see cref="Outputs"/> maps <c>x_a_recon</c>, <c>x_b_recon</c>,
/// <c>x_a_from_b</c>, <c>x_b_from_a</c>, <c>noisy_a</c>, <c>noisy_b</c> to their metrics; it is empty for data
/// without a clean reference. <see cref="Images"/> holds, per validation sample, every output and input by the
/// same names (plus <c>clean_a</c>/<c>clean_b</c> when known), each [C,H,W] row-major, for the panels.
/// </summary>
public sealed record EvaluationResult(
    IReadOnlyDictionary<string, OutputMetrics> Outputs,
    IReadOnlyList<IReadOnlyDictionary<string, float[]>> Images,
    int Channels,
    int Height,
    int Width,
    double ZDistance);
