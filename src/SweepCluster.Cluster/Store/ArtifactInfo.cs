namespace SweepCluster.Cluster.Store;

/// <summary>A stored artifact's description.</summary>
/// <param name="Id">Derived from (trial, attempt, kind, name): re-uploading the same artifact keeps its id.</param>
/// <param name="Sha256">Lower-case hex digest of the content.</param>
public sealed record ArtifactInfo(string Id, string TrialId, int Attempt, string Kind, string Name, string Sha256, long Size, DateTimeOffset CreatedAt);
