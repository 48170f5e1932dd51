using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>One attempt of a trial, as the trial grain stores it. Its <see cref="Number"/> is the fencing token.</summary>
/// <remarks>Stored state: add members with new ids, never reuse or renumber an id.</remarks>
[GenerateSerializer]
[Alias("sweepcluster.attempt-record")]
public sealed record AttemptRecord
{
    [Id(0)]
    public int Number { get; init; }

    [Id(1)]
    public AttemptPhase Phase { get; init; }

    [Id(2)]
    public string SiloId { get; init; } = "";

    /// <summary>The silo slots the attempt occupies (several for a multi-GPU trial).</summary>
    [Id(3)]
    public ImmutableArray<string> SlotIds { get; init; } = [];

    [Id(4)]
    public DateTimeOffset PlacedAt { get; init; }

    [Id(5)]
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>Why the attempt ended other than by success, in words.</summary>
    [Id(6)]
    public string? Error { get; init; }

    /// <summary>The checkpoint the attempt was started from; null for a start from scratch.</summary>
    [Id(7)]
    public string? ResumedFrom { get; init; }

    public bool IsLive => Phase is AttemptPhase.Placed or AttemptPhase.Running;
}
