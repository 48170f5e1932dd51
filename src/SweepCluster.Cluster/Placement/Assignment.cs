namespace SweepCluster.Cluster.Placement;

/// <summary>A trial placed on one or more slots of one silo.</summary>
public sealed record Assignment(string TrialId, string SiloId, IReadOnlyList<PlacementSlot> Slots);
