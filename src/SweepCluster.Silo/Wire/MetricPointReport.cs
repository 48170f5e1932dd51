namespace SweepCluster.Silo.Wire;

/// <summary>One metric point forwarded to the coordinator; (attempt, step, name) is unique there.</summary>
/// <param name="Kind"><c>step</c>, <c>epoch</c> or <c>eval</c>.</param>
public sealed record MetricPointReport(long Step, string Name, double Value, int? Epoch, string Kind);
