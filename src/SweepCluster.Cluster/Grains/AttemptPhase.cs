namespace SweepCluster.Cluster.Grains;

/// <summary>
/// Where one attempt stands. Only Placed and Running are live. Stored in grain state: never renumber a member.
/// </summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-phase")]
public enum AttemptPhase
{
    Placed = 0,
    Running = 1,
    Succeeded = 2,
    Failed = 3,

    /// <summary>Its silo was declared dead (or the attempt vanished); the trial may resume as the next attempt.</summary>
    Lost = 4,

    Cancelled = 5,

    /// <summary>Stopped because its trial was pruned.</summary>
    Pruned = 6,
}
