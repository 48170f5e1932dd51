namespace SweepCluster.Coordinator.Contracts;

/// <summary>A stored artifact's description. <see cref="Name"/> is for display only.</summary>
public sealed record ArtifactDto(string Id, string TrialId, int Attempt, string Kind, string Name, string Sha256, long Size, DateTimeOffset CreatedAt);
