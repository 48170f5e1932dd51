namespace SweepCluster.Cluster.Store;

/// <summary>Well-known artifact kinds. Any other kind is stored too; only checkpoints move the resume point.</summary>
public static class ArtifactKinds
{
    public const string Checkpoint = "checkpoint";
    public const string Panel = "panel";
    public const string Metrics = "metrics";
}
