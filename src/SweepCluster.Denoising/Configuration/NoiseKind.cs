namespace SweepCluster.Denoising.Configuration;

/// <summary>Noise model of the synthetic phantoms; Rician is the magnitude of complex Gaussian noise.</summary>
public enum NoiseKind
{
    Gaussian,
    Rician,
}
