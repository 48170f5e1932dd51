namespace SweepCluster.Cluster.Grains;

/// <summary>
/// Where a trial grain's trial stands. Succeeded, Failed and Cancelled are final. The numbers are stored in grain
/// state, which outlives the code: never renumber a member, only add new ones.
/// </summary>
[GenerateSerializer]
[Alias("sweepcluster.trial-phase")]
public enum TrialPhase
{
    /// <summary>Waiting for a silo; <see cref="TrialGrainState.PendingReason"/> says why in words.</summary>
    Pending = 0,

    /// <summary>Placed on a silo as the current attempt, which its runner has not reported started yet.</summary>
    Placed = 1,

    /// <summary>The current attempt's runner reported it started.</summary>
    Running = 2,

    Succeeded = 3,
    Failed = 4,
    Cancelled = 5,

    /// <summary>Stopped early by its sweep's early-stopping rule; <see cref="TrialGrainState.PrunedReason"/> says why.</summary>
    Pruned = 6,
}
