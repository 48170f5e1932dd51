using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>Slots of one silo held by one attempt of a trial.</summary>
[GenerateSerializer]
[Alias("sweepcluster.slot-allocation")]
public sealed record SlotAllocation
{
    [Id(0)]
    public required string TrialId { get; init; }

    [Id(1)]
    public required string SweepId { get; init; }

    [Id(2)]
    public required int Attempt { get; init; }

    [Id(3)]
    public required string SiloId { get; init; }

    [Id(4)]
    public ImmutableArray<string> SlotIds { get; init; } = [];

    [Id(5)]
    public DateTimeOffset PlacedAt { get; init; }

    /// <summary>Whether the trial grain accepted the placement (its reply arrived).</summary>
    [Id(6)]
    public bool Confirmed { get; init; }
}
