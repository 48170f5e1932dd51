namespace SweepCluster.Cluster.Reports;

/// <summary>How the trials (seeds) of one configuration stand.</summary>
/// <param name="Running">Leased or running.</param>
public sealed record TrialCounts(int Total, int Succeeded, int Pending, int Running, int Failed, int Cancelled);
