namespace SweepCluster.Denoising.Configuration;

/// <summary>Pixel loss of the recon, cross and content terms.</summary>
public enum LossKind
{
    L1,
    Mse,
}
