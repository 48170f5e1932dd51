namespace SweepCluster.Sweeps;

/// <summary>Whether a larger or a smaller objective metric is better.</summary>
public enum ObjectiveGoal
{
    /// <summary>Larger is better (PSNR, SSIM).</summary>
    Maximize,

    /// <summary>Smaller is better (NMSE, a loss).</summary>
    Minimize,
}
