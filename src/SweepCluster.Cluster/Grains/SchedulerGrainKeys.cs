namespace SweepCluster.Cluster.Grains;

public static class SchedulerGrainKeys
{
    /// <summary>The one scheduler of a cluster.</summary>
    public const string Cluster = "cluster";
}
