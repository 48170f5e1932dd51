using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>A sweep with how many of its trials are in each state (keyed by state name).</summary>
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
    IReadOnlyDictionary<string, int> TrialCounts);
