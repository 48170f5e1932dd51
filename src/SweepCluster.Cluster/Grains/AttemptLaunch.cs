namespace SweepCluster.Cluster.Grains;

/// <summary>What a runner needs to start an attempt: the configuration and the checkpoint to resume from.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-launch")]
public sealed record AttemptLaunch
{
    [Id(0)]
    public required bool Accepted { get; init; }

    [Id(1)]
    public required string Message { get; init; }

    [Id(2)]
    public string? ConfigJson { get; init; }

    [Id(3)]
    public string? CheckpointRef { get; init; }

    [Id(4)]
    public byte[]? Checkpoint { get; init; }

    [Id(5)]
    public string ConfigName { get; init; } = "";

    [Id(6)]
    public string SweepId { get; init; } = "";
}
