namespace SweepCluster.Denoising.Evaluation;

/// <summary>Measures images against their clean references and the two input noises (pure, no I/O).</summary>
public static class OutputEvaluator
{
    /// <summary>The data range of PSNR and SSIM: the data are normalised so the clean maximum is 1.</summary>
    public const double DataRange = 1.0;

    /// <summary>
    /// Means over samples and channels of <see cref="ImageMetrics"/> and <see cref="NoiseLeakage"/>; every array is one
    /// sample's [C,H,W] row-major image. Complex images (two channels, <see cref="ComplexImages"/>) get PSNR, SSIM and
    /// NMSE of their magnitude images, and the leakage index of the complex error against the complex input noise
    /// (both parts together): the noise of a magnitude image, <c>|clean + n| - |clean|</c>, is biased upwards where
    /// the clean image is dark, and that bias alone correlates the magnitude noises of two contrasts whose complex
    /// noises are independent (0.27 on the phase phantoms).
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
        var complex = ComplexImages.IsComplex(channels);
        var plane = height * width;
        var count = 0;
        for (var s = 0; s < estimates.Count; s++)
        {
            for (var c = 0; c < (complex ? 1 : channels); c++)
            {
                var (estimate, clean, noiseA, noiseB) = complex
                    ? (estimates[s], cleans[s], noisesA[s], noisesB[s])
                    : (estimates[s].AsSpan(c * plane, plane).ToArray(), cleans[s].AsSpan(c * plane, plane).ToArray(),
                        noisesA[s].AsSpan(c * plane, plane).ToArray(), noisesB[s].AsSpan(c * plane, plane).ToArray());
                var (shownEstimate, shownClean) = complex ? (ComplexImages.Magnitude(estimate), ComplexImages.Magnitude(clean)) : (estimate, clean);
                psnr += ImageMetrics.Psnr(shownClean, shownEstimate, DataRange);
                ssim += ImageMetrics.Ssim(shownClean, shownEstimate, height, width, DataRange);
                nmse += ImageMetrics.Nmse(shownClean, shownEstimate);
                leakA += NoiseLeakage.Index(estimate, clean, noiseA);
                leakB += NoiseLeakage.Index(estimate, clean, noiseB);
                count++;
            }
        }

        return new OutputMetrics(psnr / count, ssim / count, nmse / count, leakA / count, leakB / count);
    }
}
