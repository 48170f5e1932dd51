namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// A trainer silo that is an active member of the cluster, with its slots. <paramref name="Placing"/>: whether the
/// scheduler places trials on it now; false for a silo that joined a moment ago and whose slots the scheduler has not
/// learned of yet, and for a silo that is draining (shutting down).
/// </summary>
public sealed record SiloDto(string Id, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<SlotView> Slots, bool Placing);
