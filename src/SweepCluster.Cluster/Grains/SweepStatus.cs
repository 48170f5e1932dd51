using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>A sweep grain's status answer: where the sweep's trials stand and, when asked for, its test matrix.</summary>
[GenerateSerializer]
[Alias("sweepcluster.sweep-status")]
public sealed record SweepStatus
{
    /// <summary>False for an unknown sweep; nothing else is set then.</summary>
    [Id(0)]
    public required bool Found { get; init; }

    /// <summary>How many of the trials the current revision lists are in each state, keyed by the state's lower-case name.</summary>
    [Id(1)]
    public ImmutableDictionary<string, int> Counts { get; init; } = ImmutableDictionary<string, int>.Empty;

    [Id(2)]
    public int Total { get; init; }

    /// <summary>Trials in a terminal state (any state but pending, placed and running).</summary>
    [Id(3)]
    public int Finished { get; init; }

    /// <summary>Finished over total, 0 to 1.</summary>
    [Id(4)]
    public double Progress { get; init; }

    /// <summary>Seconds left by <see cref="SweepEta"/>; null until a trial finished with a measured duration.</summary>
    [Id(5)]
    public double? EtaSeconds { get; init; }

    /// <summary>The test matrix as <c>matrix.json</c> writes it (<see cref="Reports.JsonMatrixRenderer"/>), when asked for.</summary>
    [Id(6)]
    public string? MatrixJson { get; init; }
}
