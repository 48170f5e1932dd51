namespace SweepCluster.Cluster.Reports;

/// <summary>The summary scalars and metric point names the test matrix reads (docs/trial-protocol.md).</summary>
public static class ReportMetricNames
{
    public const string CrossLossFinal = "cross_loss_final";
    public const string CrossSlope = "cross_slope";
    public const string CrossGoingDown = "cross_going_down";
    public const string PsnrCross = "psnr_cross";
    public const string SsimCross = "ssim_cross";
    public const string PsnrGainCross = "psnr_gain_cross";
    public const string LeakageCross = "leakage_cross";
    public const string LeakageRecon = "leakage_recon";
    public const string ZDistance = "z_distance";
    public const string PsnrNoisy = "psnr_noisy";
    public const string SsimNoisy = "ssim_noisy";
    public const string LeakageNoisy = "leakage_noisy";
    public const string PsnrClassical = "psnr_classical";
    public const string SsimClassical = "ssim_classical";
    public const string LeakageClassical = "leakage_classical";
    public const string ClassicalSigma = "classical_sigma";
    public const string NoiseFloorCross = "noise_floor_cross";
    public const string CrossExcessFinal = "cross_excess_final";
    public const string CrossExcessRelDecrease = "cross_excess_rel_decrease";
    public const string CrossExcessRelDecreaseErr = "cross_excess_rel_decrease_err";
    public const string CrossBelowFloor = "cross_below_floor";

    /// <summary>The metric point of the cross loss.</summary>
    public const string CrossLossPoint = "loss.cross";

    /// <summary>The metric points whose mean is the cross PSNR at an evaluation.</summary>
    public static IReadOnlyList<string> CrossPsnrPoints { get; } = ["eval.x_a_from_b.psnr", "eval.x_b_from_a.psnr"];
}
