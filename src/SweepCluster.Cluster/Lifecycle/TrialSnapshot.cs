namespace SweepCluster.Cluster.Lifecycle;

/// <summary>
/// The mutable state of a trial and of its latest attempt, as <see cref="TrialLifecycle"/> reads
/// and writes it. Earlier attempts are history kept by the store.
/// </summary>
/// <param name="CurrentAttempt">Number of the latest attempt; 0 before the first placement.</param>
/// <param name="Attempt">The latest attempt, live or finished; null before the first placement.</param>
/// <param name="PendingReason">Why a pending trial is not running, in words; null otherwise.</param>
/// <param name="SummaryJson">The trainer's summary of a succeeded trial.</param>
/// <param name="LastCheckpointArtifactId">The checkpoint the next attempt resumes from.</param>
public sealed record TrialSnapshot(
    string Id,
    string SweepId,
    TrialState State,
    int CurrentAttempt,
    int MaxAttempts,
    int Priority,
    int OrderIndex,
    DateTimeOffset SubmittedAt,
    ResourceRequest Resources,
    AttemptSnapshot? Attempt,
    string? PendingReason,
    string? SummaryJson,
    string? LastCheckpointArtifactId)
{
    public bool IsFinal => State is TrialState.Succeeded or TrialState.Failed or TrialState.Cancelled or TrialState.Pruned;

    /// <summary>Why a pruned trial was stopped, in words (the early-stopping decision); null otherwise.</summary>
    public string? StopReason { get; init; }

    /// <summary>
    /// The revision of its sweep that no longer lists the trial; null while the sweep's current revision lists it.
    /// A removed trial stays stored (its attempts, metrics and result), but no longer counts as part of its sweep.
    /// </summary>
    public int? RemovedInRevision { get; init; }

    /// <summary>
    /// Whether a removal cancelled the trial (it had not finished) and nothing has run it since: listed by a later
    /// revision, it is pending again while it has an attempt left.
    /// </summary>
    public bool CancelledByRemoval { get; init; }
}
