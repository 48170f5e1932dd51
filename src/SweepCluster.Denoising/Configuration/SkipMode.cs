namespace SweepCluster.Denoising.Configuration;

/// <summary>How an Up block merges its skip: concatenation (zeros without a skip) or weighted addition (Solution A).</summary>
public enum SkipMode
{
    Concat,
    Additive,
}
