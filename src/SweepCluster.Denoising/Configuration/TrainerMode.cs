namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// Self-supervised Contrast2Contrast, or one of the labelled references that see the clean images: supervised
/// (noisy in, clean target of the same contrast for the reconstructions) and supervised cross (the cross outputs,
/// noisy A in and x_b_from_a out, against the clean image of the OTHER contrast: the ceiling of C2C's cross output).
/// </summary>
public enum TrainerMode
{
    C2c,
    Supervised,
    SupervisedCross,
}
