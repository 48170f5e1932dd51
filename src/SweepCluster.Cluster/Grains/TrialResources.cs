using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>What a trial needs from a silo, in grain state and messages (<see cref="ResourceRequest"/> with immutable labels).</summary>
/// <remarks>Versioned state: add members with new ids only; never reuse, renumber or retype an id.</remarks>
[GenerateSerializer]
[Alias("sweepcluster.trial-resources")]
public sealed record TrialResources
{
    /// <summary>GPU slots, all on one silo; 0 means one slot of any kind (CPU slots preferred).</summary>
    [Id(0)]
    public int Gpus { get; init; }

    /// <summary>Memory each of those GPUs must have; 0 for no requirement.</summary>
    [Id(1)]
    public double GpuMemoryGiB { get; init; }

    /// <summary>Labels the silo must carry with exactly these values.</summary>
    [Id(2)]
    public ImmutableDictionary<string, string> Labels { get; init; } = ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public static TrialResources Cpu { get; } = new();

    public static TrialResources From(ResourceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new TrialResources
        {
            Gpus = request.Gpus,
            GpuMemoryGiB = request.GpuMemoryGiB,
            Labels = request.Labels.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    public ResourceRequest ToRequest() => new(Gpus, GpuMemoryGiB, Labels);
}
