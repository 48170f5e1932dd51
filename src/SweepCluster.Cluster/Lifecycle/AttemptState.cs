namespace SweepCluster.Cluster.Lifecycle;

/// <summary>Where one attempt stands. Only Placed and Running are live; the rest are final.</summary>
public enum AttemptState
{
    /// <summary>Placed on a silo's slots; its runner has not said it started.</summary>
    Placed,
    Running,
    Succeeded,
    Failed,
    Lost,
    Cancelled,

    /// <summary>Stopped because its trial was pruned by the sweep's early stopping.</summary>
    Pruned,
}
