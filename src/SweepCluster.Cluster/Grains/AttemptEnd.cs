namespace SweepCluster.Cluster.Grains;

/// <summary>The runner's word that attempt <see cref="Attempt"/> ended.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-end")]
public sealed record AttemptEnd
{
    [Id(0)]
    public required int Attempt { get; init; }

    [Id(1)]
    public required string SiloId { get; init; }

    [Id(2)]
    public required AttemptOutcome Outcome { get; init; }

    /// <summary>What went wrong, for a failed attempt (exit code, the last lines of its log).</summary>
    [Id(3)]
    public string? Error { get; init; }

    /// <summary>The trainer's summary, for a succeeded attempt.</summary>
    [Id(4)]
    public string? SummaryJson { get; init; }
}
