using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// A sweep with its revision (1, then one more for each submission of a different definition) and how many of the
/// trials its current revision lists are in each state (keyed by state name).
/// </summary>
public sealed record SweepSummaryDto(
    string Id,
    string Name,
    string Description,
    string Question,
    string ObjectiveMetric,
    ObjectiveGoal ObjectiveGoal,
    DateTimeOffset CreatedAt,
    DateTimeOffset SubmittedAt,
    DateTimeOffset? CancelledAt,
    IReadOnlyDictionary<string, int> TrialCounts,
    int Revision);
