namespace SweepCluster.Cluster.Lifecycle;

/// <summary>Where a trial stands. Succeeded, Failed and Cancelled are final.</summary>
public enum TrialState
{
    Pending,
    /// <summary>Its latest attempt is placed on a silo and has not started yet.</summary>
    Placed,
    Running,
    Succeeded,
    Failed,
    Cancelled,

    /// <summary>Stopped early by its sweep's early-stopping rule: final, neither failed nor retried.</summary>
    Pruned,
}
