using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>The placement of a pending trial on a silo's slots as attempt <see cref="Attempt"/>.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-placement")]
public sealed record AttemptPlacement
{
    [Id(0)]
    public required string SiloId { get; init; }

    /// <summary>The attempt number the placer expects to create: the trial's current attempt + 1.</summary>
    [Id(1)]
    public required int Attempt { get; init; }

    [Id(2)]
    public ImmutableArray<string> SlotIds { get; init; } = [];

    /// <summary>The trial's definition: a placement of a trial whose grain holds no state yet creates it first.</summary>
    [Id(3)]
    public TrialDefinition? Definition { get; init; }
}
