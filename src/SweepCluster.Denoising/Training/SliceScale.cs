using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// The public implementation's per-slice intensity scale (<c>trainer.cross_loss_scale: median</c>): the median of the
/// slice's modulus over all its pixels (the lower of the two middle values for an even count, as <c>torch.median</c>),
/// falling back to the mean modulus when the median is below 1e-6, and to 1 when that is too, or when either is not
/// finite. A two-channel batch is real and imaginary parts, whose modulus is <c>sqrt(re^2 + im^2)</c>.
/// </summary>
public static class SliceScale
{
    /// <summary>Below this a scale is treated as zero.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>The scale of each sample of a <c>(N, C, H, W)</c> batch, shaped <c>(N, 1, 1, 1)</c>, without gradient.</summary>
    public static Tensor Median(Tensor batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var noGrad = no_grad();
        var modulus = batch.shape[1] == 2 ? batch.Squared().sum([1], keepdim: true).sqrt() : batch.abs();
        var flat = modulus.flatten(1);
        var count = flat.shape[1];
        var median = flat.sort(1).Values.select(1, (count - 1) / 2);
        var mean = flat.mean([1]);
        using var epsilon = Epsilon.ToScalar();
        var scale = where(median.isfinite().logical_and(median.ge(epsilon)), median,
            where(mean.isfinite().logical_and(mean.ge(epsilon)), mean, ones_like(mean)));
        return scale.reshape(batch.shape[0], 1, 1, 1);
    }

    /// <summary>
    /// The two batches as the network sees them under <paramref name="kind"/>: unchanged with no scales for
    /// <c>none</c>; each slice divided by its <see cref="Median"/> scale, with the scales, for <c>median</c>.
    /// </summary>
    public static (Tensor A, Tensor B, Tensor? ScaleA, Tensor? ScaleB) Apply(CrossLossScale kind, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (kind != CrossLossScale.Median)
        {
            return (a, b, null, null);
        }

        var (scaleA, scaleB) = (Median(a), Median(b));
        return (a / scaleA, b / scaleB, scaleA, scaleB);
    }
}
