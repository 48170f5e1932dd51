namespace SweepCluster.Cluster.Placement;

/// <summary>What placement decided: the assignments, and for every trial left pending, why.</summary>
public sealed record PlacementPlan(IReadOnlyList<Assignment> Assignments, IReadOnlyDictionary<string, string> PendingReasons);
