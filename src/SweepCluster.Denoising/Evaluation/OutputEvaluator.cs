namespace SweepCluster.Denoising.Evaluation;

/// <summary>Measures images against their clean references and the two input noises (pure, no I/O).</summary>
public static class OutputEvaluator
{
    /// <summary>The data range of PSNR and SSIM: the data are normalised so the clean maximum is 1.</summary>
    public const double DataRange = 1.0;

    /// <summary>
    /// Means over samples and channels of <see cref="ImageMetrics"/> and <see cref="NoiseLeakage"/>; every array is one
    /// sample's [C,H,W] row-major image.
    /// </summary>
    public static OutputMetrics Measure(
        IReadOnlyList<float[]> estimates,
        IReadOnlyList<float[]> cleans,
        IReadOnlyList<float[]> noisesA,
        IReadOnlyList<float[]> noisesB,
        int channels,
        int height,
        int width)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(cleans);
        ArgumentNullException.ThrowIfNull(noisesA);
        ArgumentNullException.ThrowIfNull(noisesB);
        double psnr = 0, ssim = 0, nmse = 0, leakA = 0, leakB = 0;
        var plane = height * width;
        var count = 0;
        for (var s = 0; s < estimates.Count; s++)
        {
            for (var c = 0; c < channels; c++)
            {
                var estimate = estimates[s].AsSpan(c * plane, plane);
                var clean = cleans[s].AsSpan(c * plane, plane);
                psnr += ImageMetrics.Psnr(clean, estimate, DataRange);
                ssim += ImageMetrics.Ssim(clean, estimate, height, width, DataRange);
                nmse += ImageMetrics.Nmse(clean, estimate);
                leakA += NoiseLeakage.Index(estimate, clean, noisesA[s].AsSpan(c * plane, plane));
                leakB += NoiseLeakage.Index(estimate, clean, noisesB[s].AsSpan(c * plane, plane));
                count++;
            }
        }

        return new OutputMetrics(psnr / count, ssim / count, nmse / count, leakA / count, leakB / count);
    }
}
