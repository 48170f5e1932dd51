namespace SweepCluster.Denoising.Evaluation;

/// <summary>The classical reference on the validation set: the tuned width and the filtered noisy A and B against clean.</summary>
/// <param name="Sigma">The Gaussian width in pixels chosen on the training split.</param>
/// <param name="A">Filtered noisy A against clean A (leakage against both input noises).</param>
/// <param name="B">Filtered noisy B against clean B.</param>
public sealed record ClassicalResult(double Sigma, OutputMetrics A, OutputMetrics B)
{
    /// <summary>Mean PSNR (dB) of the two contrasts.</summary>
    public double Psnr => (A.Psnr + B.Psnr) / 2;

    /// <summary>Mean SSIM of the two contrasts.</summary>
    public double Ssim => (A.Ssim + B.Ssim) / 2;

    /// <summary>Mean |leakage| of each filtered image against its own input's noise (a filter keeps part of it).</summary>
    public double Leakage => (Math.Abs(A.LeakageNoiseA) + Math.Abs(B.LeakageNoiseB)) / 2;
}
