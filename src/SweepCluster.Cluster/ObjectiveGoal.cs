namespace SweepCluster.Cluster;

/// <summary>Whether a larger or a smaller objective metric is better.</summary>
public enum ObjectiveGoal
{
    Minimize,
    Maximize,
}
