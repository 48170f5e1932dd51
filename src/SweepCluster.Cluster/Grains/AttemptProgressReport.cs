namespace SweepCluster.Cluster.Grains;

/// <summary>Where the live attempt's training is: its step, and the total steps and epoch when the trainer said.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-progress")]
public sealed record AttemptProgressReport
{
    [Id(0)]
    public long Step { get; init; }

    [Id(1)]
    public long? TotalSteps { get; init; }

    [Id(2)]
    public int? Epoch { get; init; }

    [Id(3)]
    public int? Epochs { get; init; }

    [Id(4)]
    public double? EtaSeconds { get; init; }
}
