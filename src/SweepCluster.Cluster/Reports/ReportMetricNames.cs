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

    /// <summary>The metric point of the cross loss.</summary>
    public const string CrossLossPoint = "loss.cross";

    /// <summary>The metric points whose mean is the cross PSNR at an evaluation.</summary>
    public static IReadOnlyList<string> CrossPsnrPoints { get; } = ["eval.x_a_from_b.psnr", "eval.x_b_from_a.psnr"];
}
