using System.Collections.Immutable;
using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The sweep grain's durable early-stopping record: every event its judge applied, in arrival order. The decisions are
/// not stored apart: they are replayed from this log (<see cref="StoppingJudge.Replay"/>), so they cannot disagree
/// with it.
/// </summary>
/// <remarks>Outlives the code: add members with new ids; never reuse, renumber or retype an id; keep the alias.</remarks>
[GenerateSerializer]
[Alias("sweepcluster.sweep-stopping-state")]
public sealed record SweepStoppingState
{
    [Id(0)]
    public ImmutableArray<StoppingEvent> Events { get; init; } = [];
}
