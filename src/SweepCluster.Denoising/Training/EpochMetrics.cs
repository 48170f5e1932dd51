namespace SweepCluster.Denoising.Training;

/// <summary>
/// The metric names a trial reports once per epoch (docs/trial-protocol.md): the epoch means of the step losses
/// (<c>epoch.loss.*</c>) and the validation evaluation (<c>eval.*</c>). A sweep's early stopping may judge any of them.
/// </summary>
public static class EpochMetrics
{
    /// <summary>The cross outputs' PSNR, the mean over both directions: the per-epoch form of the objective <c>psnr_cross</c>.</summary>
    public const string PsnrCross = "eval.psnr_cross";

    /// <summary>The cross outputs' SSIM, the mean over both directions.</summary>
    public const string SsimCross = "eval.ssim_cross";

    private static readonly string[] Losses = ["content", "recon", "cross", "edge", "adversarial", "total", "discriminator"];

    private static readonly string[] OutputMeasures = ["psnr", "ssim", "nmse", "leakage.noise_a", "leakage.noise_b"];

    /// <summary>Every per-epoch metric name, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. Losses.Select(l => "epoch.loss." + l)
            .Concat(C2CTrainer.OutputNames.SelectMany(o => OutputMeasures.Select(m => $"eval.{o}.{m}")))
            .Concat([PsnrCross, SsimCross, "eval.z_distance"])
            .Order(StringComparer.Ordinal),
    ];
}
