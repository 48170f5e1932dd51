namespace SweepCluster.Coordinator.Contracts;

/// <summary>A trial's resource request: GPU slots (0 for one slot of any kind), memory per GPU, labels.</summary>
public sealed class ResourcesDto
{
    public int? Gpus { get; init; }

    public double? GpuMemoryGiB { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
