namespace SweepCluster.Denoising.Configuration;

/// <summary>Which skips the cross-domain decoder receives.</summary>
public enum CrossDomainStrategy
{
    UseSourceSkip,
    UseTargetSkip,
    NoSkip,
    ZeroSkip,
    MixedSkip,
}
