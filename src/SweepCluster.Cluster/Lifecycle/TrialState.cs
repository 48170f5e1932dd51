namespace SweepCluster.Cluster.Lifecycle;

/// <summary>Where a trial stands. Succeeded, Failed and Cancelled are final.</summary>
public enum TrialState
{
    Pending,
    Leased,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
