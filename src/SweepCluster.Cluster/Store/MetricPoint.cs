namespace SweepCluster.Cluster.Store;

/// <summary>One metric value at one training step, as the trainer reports it.</summary>
/// <param name="Kind">What the point measures, for example <c>train</c>, <c>eval</c> or <c>grad</c>.</param>
/// <param name="Value">May be NaN (a diverged loss); NaN is kept.</param>
public sealed record MetricPoint(long Step, string Name, double Value, int? Epoch, string Kind);
