namespace SweepCluster.Coordinator.Contracts;

/// <summary>A registered slot; <see cref="GpuIndex"/> is null for a CPU slot.</summary>
public sealed record SlotView(string Id, int? GpuIndex, string? GpuName, double GpuMemoryGiB);
