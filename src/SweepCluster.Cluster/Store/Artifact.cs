namespace SweepCluster.Cluster.Store;

/// <summary>A stored artifact with its content.</summary>
public sealed record Artifact(ArtifactInfo Info, ReadOnlyMemory<byte> Content);
