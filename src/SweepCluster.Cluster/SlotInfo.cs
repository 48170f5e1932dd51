namespace SweepCluster.Cluster;

/// <summary>One slot of a silo: one GPU, or one CPU slot where the silo has no GPU.</summary>
/// <param name="Id">Unique within its silo.</param>
/// <param name="GpuIndex">The device index to pin the child process to; null for a CPU slot.</param>
/// <param name="GpuMemoryGiB">The GPU's memory; 0 for a CPU slot.</param>
public sealed record SlotInfo(string Id, int? GpuIndex, string? GpuName, double GpuMemoryGiB)
{
    public bool IsGpu => GpuIndex is not null;
}
