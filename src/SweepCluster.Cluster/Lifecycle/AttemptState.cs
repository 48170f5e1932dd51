namespace SweepCluster.Cluster.Lifecycle;

/// <summary>Where one attempt stands. Only Leased and Running are live; the rest are final.</summary>
public enum AttemptState
{
    Leased,
    Running,
    Succeeded,
    Failed,
    Lost,
    Cancelled,
}
