namespace SweepCluster.Cluster.Grains;

/// <summary>What the scheduler rebuilds its queue and ledger from when it activates.</summary>
public sealed record SchedulerSnapshot(IReadOnlyList<QueuedTrial> Pending, IReadOnlyList<SlotAllocation> Live)
{
    /// <summary>The reason each pending trial's row gives now, so the scheduler writes only the reasons that change.</summary>
    public IReadOnlyDictionary<string, string> PendingReasons { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
