using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;

namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// The loss a perfect denoiser would have against noisy targets: the clean image scored against the noisy one,
/// <c>loss(clean_a, noisy_a) + loss(clean_b, noisy_b)</c>, each a mean over elements as the training losses are. It is
/// measured on the data rather than taken from a formula, because Rician noise and clipping at 0 change it. The recon
/// and cross terms have the same noisy targets, so they have the same floor. For a complex network the losses take
/// the modulus of the complex difference (<c>C2CLosses.Pixel</c>), and so does the floor: per complex pixel
/// <c>|n|</c> (L1) or <c>|n|^2</c> (MSE) of the [real, imag] noise.
/// </summary>
public static class NoiseFloor
{
    /// <summary>
    /// The floor over every sample of <paramref name="data"/> (the training split: the losses it is compared with are
    /// training losses), with the standard error of that mean from the sample-to-sample spread. Null without clean images.
    /// </summary>
    /// <param name="complex">The losses of a complex network (<c>model.complex</c>) on [real, imag] data.</param>
    public static NoiseFloorResult? Measure(IPairedDataset data, LossKind kind, bool complex = false)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.HasCleanReference || data.Count == 0)
        {
            return null;
        }

        if (complex && !ComplexImages.IsComplex(data.Channels))
        {
            throw new ArgumentException($"The complex floor needs [real, imag] data, these have {data.Channels} channel(s).", nameof(data));
        }

        var perSample = Enumerable.Range(0, data.Count).AsParallel().AsOrdered().Select(i =>
        {
            var sample = data.Get(i, 1);
            return complex
                ? ComplexLoss(sample.CleanA!, sample.NoisyA, kind) + ComplexLoss(sample.CleanB!, sample.NoisyB, kind)
                : Loss(sample.CleanA!, sample.NoisyA, kind) + Loss(sample.CleanB!, sample.NoisyB, kind);
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

    /// <summary>The mean over complex pixels of |noisy - clean| (or its square) of [real, imag] planes.</summary>
    private static double ComplexLoss(float[] clean, float[] noisy, LossKind kind)
    {
        var plane = clean.Length / 2;
        double sum = 0;
        for (var i = 0; i < plane; i++)
        {
            var re = (double)noisy[i] - clean[i];
            var im = (double)noisy[plane + i] - clean[plane + i];
            var squared = (re * re) + (im * im);
            sum += kind == LossKind.Mse ? squared : Math.Sqrt(squared);
        }

        return sum / plane;
    }
}
