namespace SweepCluster.Cluster.Store;

/// <summary>An artifact as an attempt uploads it.</summary>
/// <param name="Name">For display only; never used as a file path.</param>
public sealed record ArtifactUpload(string TrialId, int Attempt, string Kind, string Name, ReadOnlyMemory<byte> Content);
