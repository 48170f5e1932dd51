using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// A progress report of one attempt: the step it reached, the metrics it measured there and, when it wrote one, the
/// checkpoint the next attempt would resume from. <see cref="Attempt"/> fences it.
/// </summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-report")]
public sealed record AttemptReport
{
    [Id(0)]
    public required int Attempt { get; init; }

    [Id(1)]
    public required string SiloId { get; init; }

    [Id(2)]
    public required long Step { get; init; }

    /// <summary>Metric values at <see cref="Step"/> by dotted name (<c>loss.recon</c>, <c>psnr.val</c>).</summary>
    [Id(3)]
    public ImmutableDictionary<string, double> Metrics { get; init; } = ImmutableDictionary<string, double>.Empty;

    /// <summary>The checkpoint written at <see cref="Step"/>; null when the report carries none.</summary>
    [Id(4)]
    public string? CheckpointRef { get; init; }
}
