using System.Text.Json;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>A trial: its definition and where it stands.</summary>
/// <param name="Summary">The trainer's summary once the trial succeeded; otherwise null.</param>
/// <param name="Config">The resolved configuration; only in the single-trial answer.</param>
/// <param name="Attempt">The latest attempt, live or ended; null before the first placement.</param>
/// <param name="QueueAhead">For a pending trial in a sweep's listing: how many of the sweep's pending trials come before
/// it in the queue (priority, then submission, then sweep order); null otherwise.</param>
/// <param name="RemovedInRevision">The revision of its sweep that no longer lists the trial; null while the current one does.</param>
/// <param name="StopReason">Why the sweep's early stopping pruned the trial, in words; null unless it is pruned.</param>
public sealed record TrialDto(
    string Id,
    string SweepId,
    string ConfigName,
    string ConfigKey,
    long Seed,
    JsonElement Parameters,
    string Expect,
    string? ExpectedVerdict,
    TrialState State,
    int CurrentAttempt,
    int MaxAttempts,
    int Priority,
    int Order,
    ResourcesView Resources,
    string? PendingReason,
    JsonElement? Summary,
    string? LastCheckpointArtifactId,
    AttemptDto? Attempt,
    JsonElement? Config,
    int? QueueAhead = null,
    int? RemovedInRevision = null,
    string? StopReason = null);
