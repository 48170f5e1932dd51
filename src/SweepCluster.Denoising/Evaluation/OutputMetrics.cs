namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// Quality of one output over the validation set against the clean images, each a mean over samples (and channels):
/// PSNR (dB) and SSIM with data range 1.0 (the normalised intensity scale: phantoms have a maximum clean intensity of
/// 1), NMSE, and the noise-leakage index against the input noise of contrast a and of contrast b.
/// </summary>
public sealed record OutputMetrics(double Psnr, double Ssim, double Nmse, double LeakageNoiseA, double LeakageNoiseB);
