using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>The scheduler's queue and ledger as they are now.</summary>
[GenerateSerializer]
[Alias("sweepcluster.scheduler-view")]
public sealed record SchedulerView
{
    [Id(0)]
    public ImmutableArray<string> Queued { get; init; } = [];

    [Id(1)]
    public ImmutableArray<SlotAllocation> Allocations { get; init; } = [];

    [Id(2)]
    public ImmutableDictionary<string, string> PendingReasons { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>Silo id to its slot count, for every active silo with slots.</summary>
    [Id(3)]
    public ImmutableDictionary<string, int> Silos { get; init; } = ImmutableDictionary<string, int>.Empty;
}
