using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>A sweep's early-stopping rule, resolved for its profile (docs/sweep-file.md, "Early stopping").</summary>
public sealed class EarlyStoppingDto
{
    /// <summary><c>asha</c> or <c>median</c>; required.</summary>
    public string? Rule { get; init; }

    /// <summary>The per-epoch metric judged; required.</summary>
    public string? Metric { get; init; }

    /// <summary>Required.</summary>
    public ObjectiveGoal? Goal { get; init; }

    public int? GraceEpochs { get; init; }

    public int? ReductionFactor { get; init; }

    public int? MinTrials { get; init; }
}
