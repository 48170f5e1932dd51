namespace SweepCluster.Coordinator.Contracts;

/// <summary>A stored trial's resource request.</summary>
public sealed record ResourcesView(int Gpus, double GpuMemoryGiB, IReadOnlyDictionary<string, string> Labels);
