namespace SweepCluster.Cluster.Grains;

/// <summary>What a trial grain needs to know to create its trial.</summary>
[GenerateSerializer]
[Alias("sweepcluster.trial-definition")]
public sealed record TrialDefinition
{
    [Id(0)]
    public required string SweepId { get; init; }

    /// <summary>How many attempts the trial may use before it fails for good; at least 1.</summary>
    [Id(1)]
    public required int MaxAttempts { get; init; }

    /// <summary>The sweep row's configuration name (for logs and progress).</summary>
    [Id(2)]
    public string ConfigName { get; init; } = "";

    /// <summary>Higher runs first.</summary>
    [Id(3)]
    public int Priority { get; init; }

    /// <summary>Position in the sweep, breaking ties within one submission.</summary>
    [Id(4)]
    public int OrderIndex { get; init; }

    [Id(5)]
    public DateTimeOffset SubmittedAt { get; init; }

    [Id(6)]
    public TrialResources Resources { get; init; } = TrialResources.Cpu;
}
