namespace SweepCluster.Denoising.Evaluation;

/// <summary>A measured noise floor of a loss summed over the two contrasts.</summary>
/// <param name="Value">The mean loss of the clean images against the noisy ones.</param>
/// <param name="Error">The standard error of <paramref name="Value"/> over the samples.</param>
public sealed record NoiseFloorResult(double Value, double Error);
