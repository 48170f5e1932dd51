namespace SweepCluster.Sweeps;

/// <summary>
/// An <c>early_stopping</c> block as written, at the top of a sweep or in a profile: the keys it sets, null where it
/// leaves the value to the sweep's block or the default. A profile's block sets the keys it names over the sweep's;
/// <see cref="Off"/> is a profile's <c>early_stopping: false</c>.
/// </summary>
public sealed record EarlyStoppingBlock
{
    public EarlyStoppingRule? Rule { get; init; }

    public string? Metric { get; init; }

    public ObjectiveGoal? Goal { get; init; }

    public int? GraceEpochs { get; init; }

    public int? ReductionFactor { get; init; }

    public int? MinTrials { get; init; }

    /// <summary><c>early_stopping: false</c>: no early stopping under this profile.</summary>
    public bool Off { get; init; }

    public required SourceLocation Location { get; init; }
}
