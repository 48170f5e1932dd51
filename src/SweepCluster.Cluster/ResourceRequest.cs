namespace SweepCluster.Cluster;

/// <summary>What a trial needs from a silo.</summary>
/// <param name="Gpus">GPU slots, all on one silo; 0 means one slot of any kind (CPU slots preferred).</param>
/// <param name="GpuMemoryGiB">Memory each of those GPUs must have; 0 for no requirement.</param>
/// <param name="Labels">Labels the silo must carry with exactly these values.</param>
[GenerateSerializer]
[Alias("sweepcluster.resource-request")]
public sealed record ResourceRequest([property: Id(0)] int Gpus, [property: Id(1)] double GpuMemoryGiB, [property: Id(2)] IReadOnlyDictionary<string, string> Labels)
{
    public static ResourceRequest Cpu { get; } = new(0, 0, new Dictionary<string, string>());

    public static ResourceRequest Gpu(int count = 1, double memoryGiB = 0) => new(count, memoryGiB, new Dictionary<string, string>());
}
