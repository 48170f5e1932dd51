namespace SweepCluster.Denoising.Configuration;

/// <summary>Shared decoders, separate same- and cross-domain decoders (Solution 1) or a noise-aware latent (Solution 4).</summary>
public enum ModelArchitecture
{
    Shared,
    Separate,
    NoiseAware,
}
