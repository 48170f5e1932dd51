namespace SweepCluster.Cluster.Grains;

/// <summary>A file an attempt produced (a checkpoint, a panel), sent by its runner.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-artifact")]
public sealed record AttemptArtifact
{
    [Id(0)]
    public required int Attempt { get; init; }

    [Id(1)]
    public required string SiloId { get; init; }

    /// <summary>See <see cref="Store.ArtifactKinds"/>; a checkpoint becomes the trial's resume point.</summary>
    [Id(2)]
    public required string Kind { get; init; }

    /// <summary>A name, never a path.</summary>
    [Id(3)]
    public required string Name { get; init; }

    [Id(4)]
    public required byte[] Content { get; init; }

    /// <summary>The training step a checkpoint was taken at.</summary>
    [Id(5)]
    public long? Step { get; init; }
}
