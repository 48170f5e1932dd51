namespace SweepCluster.Coordinator.Contracts;

/// <summary>A silo's slot: a GPU (with its index) or a CPU slot (no index).</summary>
public sealed class SlotDto
{
    public string? Id { get; init; }

    public int? GpuIndex { get; init; }

    public string? GpuName { get; init; }

    public double? GpuMemoryGiB { get; init; }
}
