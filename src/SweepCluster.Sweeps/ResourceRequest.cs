namespace SweepCluster.Sweeps;

/// <summary>What one trial needs from a silo slot. Zero GPUs means a CPU slot.</summary>
public sealed record ResourceRequest(int Gpus, double GpuMemoryGb, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>A CPU slot, no labels.</summary>
    public static ResourceRequest None { get; } = new(0, 0, new Dictionary<string, string>());
}
