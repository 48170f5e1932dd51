namespace SweepCluster.Cluster.Grains;

/// <summary>A trial grain's stored state and the storage ETag it was read or last written with.</summary>
[GenerateSerializer]
[Alias("sweepcluster.trial-view")]
public sealed record TrialView
{
    [Id(0)]
    public required TrialGrainState State { get; init; }

    /// <summary>The storage's version tag; it changes on every write, so an unchanged tag means nothing was stored.</summary>
    [Id(1)]
    public string? ETag { get; init; }

    /// <summary>Whether storage holds a record for the grain.</summary>
    [Id(2)]
    public bool RecordExists { get; init; }
}
