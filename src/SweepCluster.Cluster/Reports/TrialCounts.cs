namespace SweepCluster.Cluster.Reports;

/// <summary>How the trials (seeds) of one configuration stand.</summary>
/// <param name="Running">Placed or running.</param>
/// <param name="Pruned">Stopped early by the sweep's early stopping.</param>
public sealed record TrialCounts(int Total, int Succeeded, int Pending, int Running, int Failed, int Cancelled, int Pruned = 0);
