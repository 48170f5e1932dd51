namespace SweepCluster.Denoising.Data;

/// <summary>Training samples are augmented (flips, random crops); validation samples never are.</summary>
public enum DataSplit
{
    Train,
    Validation,
}
