namespace SweepCluster.Sweeps;

/// <summary>The metric a sweep ranks its configurations by.</summary>
public sealed record SweepObjective(string Metric, ObjectiveGoal Goal);
