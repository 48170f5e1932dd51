namespace SweepCluster.Cluster;

/// <summary>Whether a larger or a smaller objective metric is better.</summary>
[GenerateSerializer]
[Alias("sweepcluster.objective-goal")]
public enum ObjectiveGoal
{
    Minimize,
    Maximize,
}
