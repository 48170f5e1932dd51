using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;

namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// The loss a perfect denoiser would have against noisy targets: the clean image scored against the noisy one,
/// <c>loss(clean_a, noisy_a) + loss(clean_b, noisy_b)</c>, each a mean over elements as the training losses are. It is
/// measured on the data rather than taken from a formula, because Rician noise and clipping at 0 change it. The recon
/// and cross terms have the same noisy targets, so they have the same floor.
/// </summary>
public static class NoiseFloor
{
    /// <summary>
    /// The floor over every sample of <paramref name="data"/> (the training split: the losses it is compared with are
    /// training losses), with the standard error of that mean from the sample-to-sample spread. Null without clean images.
    /// </summary>
    public static NoiseFloorResult? Measure(IPairedDataset data, LossKind kind)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.HasCleanReference || data.Count == 0)
        {
            return null;
        }

        var perSample = Enumerable.Range(0, data.Count).AsParallel().AsOrdered().Select(i =>
        {
            var sample = data.Get(i, 1);
            return Loss(sample.CleanA!, sample.NoisyA, kind) + Loss(sample.CleanB!, sample.NoisyB, kind);
        }).ToList();
        var mean = perSample.Average();
        var error = perSample.Count < 2
            ? 0
            : Math.Sqrt(perSample.Sum(v => (v - mean) * (v - mean)) / (perSample.Count - 1) / perSample.Count);
        return new NoiseFloorResult(mean, error);
    }

    private static double Loss(float[] clean, float[] noisy, LossKind kind)
    {
        double sum = 0;
        for (var i = 0; i < clean.Length; i++)
        {
            var d = (double)noisy[i] - clean[i];
            sum += kind == LossKind.Mse ? d * d : Math.Abs(d);
        }

        return sum / clean.Length;
    }
}
