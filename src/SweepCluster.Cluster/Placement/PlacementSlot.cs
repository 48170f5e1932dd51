namespace SweepCluster.Cluster.Placement;

/// <summary>A silo slot as placement sees it: the slot and the labels of the silo that offers it.</summary>
/// <param name="GpuIndex">Device index; null for a CPU slot.</param>
/// <param name="GpuMemoryGiB">The GPU's memory; 0 for a CPU slot.</param>
public sealed record PlacementSlot(
    string SlotId,
    string SiloId,
    int? GpuIndex,
    string? GpuName,
    double GpuMemoryGiB,
    IReadOnlyDictionary<string, string> SiloLabels)
{
    public bool IsGpu => GpuIndex is not null;

    /// <summary>Every slot of a registered silo, in placement's terms.</summary>
    public static IReadOnlyList<PlacementSlot> Of(SiloInfo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return [.. silo.Slots.Select(s => new PlacementSlot(s.Id, silo.Id, s.GpuIndex, s.GpuName, s.GpuMemoryGiB, silo.Labels))];
    }
}
