namespace SweepCluster.Denoising.Configuration;

/// <summary>How the cross loss is scaled (<c>trainer.cross_loss_scale</c>).</summary>
public enum CrossLossScale
{
    /// <summary>No scaling: every term compares images at the data's intensity scale.</summary>
    None,

    /// <summary>
    /// The public implementation's per-slice median scale: each input slice is divided by the median of its
    /// modulus s before the network; content and recon compare in those normalised units, while the cross (and
    /// edge) terms compare <c>s * output</c> with the slice at its own scale.
    /// </summary>
    Median,
}
