namespace SweepCluster.Silo.Wire;

/// <summary>A slot the silo offers: one GPU (with its device index) or one CPU slot (no index).</summary>
public sealed record SlotDescription(string Id, int? GpuIndex, string? GpuName, double GpuMemoryGiB)
{
    public bool IsGpu => GpuIndex is not null;

    /// <summary><paramref name="count"/> CPU slots named <c>cpu0</c>, <c>cpu1</c>, ...</summary>
    public static IReadOnlyList<SlotDescription> CpuSlots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return [.. Enumerable.Range(0, count).Select(i => new SlotDescription($"cpu{i}", null, null, 0))];
    }

    /// <summary>A GPU slot named <c>gpu{index}</c>.</summary>
    public static SlotDescription Gpu(int index, string name, double memoryGiB) => new($"gpu{index}", index, name, memoryGiB);
}
