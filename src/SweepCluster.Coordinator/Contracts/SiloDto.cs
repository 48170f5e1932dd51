namespace SweepCluster.Coordinator.Contracts;

/// <summary>A registered silo.</summary>
public sealed record SiloDto(string Id, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<SlotView> Slots);
