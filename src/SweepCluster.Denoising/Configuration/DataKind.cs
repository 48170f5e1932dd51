namespace SweepCluster.Denoising.Configuration;

/// <summary>Source of the paired images.</summary>
public enum DataKind
{
    Synthetic,
    Npy,
}
