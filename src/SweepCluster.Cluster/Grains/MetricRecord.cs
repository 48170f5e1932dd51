using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>One metric point of an attempt, as its runner sends it.</summary>
[GenerateSerializer]
[Alias("sweepcluster.metric-record")]
public sealed record MetricRecord
{
    [Id(0)]
    public required long Step { get; init; }

    [Id(1)]
    public required string Name { get; init; }

    [Id(2)]
    public required double Value { get; init; }

    [Id(3)]
    public int? Epoch { get; init; }

    /// <summary>"train", "eval", ... (the store's point kind).</summary>
    [Id(4)]
    public string Kind { get; init; } = "train";

    public MetricPoint ToPoint() => new(Step, Name, Value, Epoch, Kind);
}
