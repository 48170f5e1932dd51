namespace SweepCluster.Denoising.Data;

/// <summary>Tissue classes of the synthetic knee phantom.</summary>
public enum Tissue : byte
{
    Background,
    Fat,
    Muscle,
    Fluid,
    Cartilage,
    Cortex,
    Marrow,
}
