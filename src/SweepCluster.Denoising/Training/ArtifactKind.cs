namespace SweepCluster.Denoising.Training;

/// <summary>What a kept file is: a PNG panel, the metrics stream, or a log.</summary>
public enum ArtifactKind
{
    Panel,
    Metrics,
    Log,
}
