namespace SweepCluster.Cluster;

/// <summary>A silo as it registers itself: its identity, labels and every slot it offers.</summary>
public sealed record SiloInfo(string Id, string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<SlotInfo> Slots);
