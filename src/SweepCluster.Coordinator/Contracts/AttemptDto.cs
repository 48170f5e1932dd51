using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>One attempt of a trial; <see cref="Number"/> is its fencing token.</summary>
public sealed record AttemptDto(
    int Number,
    AttemptState State,
    string SiloId,
    IReadOnlyList<string> SlotIds,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    ProgressDto? Progress);
