namespace SweepCluster.Denoising.Configuration;

/// <summary>Optimizer of the networks.</summary>
public enum OptimizerKind
{
    Adam,
    AdamW,
}
