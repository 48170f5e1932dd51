namespace SweepCluster.Denoising.Configuration;

/// <summary>Self-supervised Contrast2Contrast, or the labelled supervised (noisy in, clean target) reference.</summary>
public enum TrainerMode
{
    C2c,
    Supervised,
}
