using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The relational record the grains keep beside their own state: the trial rows the HTTP API, the progress view and
/// the report read (a projection of each trial grain's state), metric points and artifacts. Grain state is the
/// authority; these rows follow it.
/// </summary>
/// <remarks>
/// Thread safe. Every write is idempotent: projecting the same state twice, appending a metric point again (unique
/// on trial, attempt, step and name) or storing an artifact again (its id derives from trial, attempt, kind and name)
/// changes nothing more. Callers fence attempts before writing, and metric points and artifacts are fenced again
/// against the trial's rows: the rows are written after the grain's state, so an attempt they no longer show live was
/// ended by a newer state than a stale caller's (an activation left on a silo that hung or was cut off, then declared
/// dead), and nothing more is stored for it.
/// </remarks>
public interface ITrialRecords
{
    /// <summary>Writes the trial's row and its current attempt's row from the grain's state, with an event saying what changed.</summary>
    Task ProjectAsync(TrialGrainState state, string eventKind, string message, CancellationToken cancellationToken);

    /// <summary>Records the progress of the live attempt (its step, total steps and epoch) on its row.</summary>
    Task ProjectProgressAsync(TrialGrainState state, AttemptProgressReport progress, CancellationToken cancellationToken);

    /// <summary>Stores metric points of <paramref name="attempt"/>; refused (<see cref="RefusalKind.StaleAttempt"/>) unless the trial's rows show that attempt live.</summary>
    /// <returns>How many points were new, or the refusal.</returns>
    Task<Outcome<int>> AppendMetricsAsync(string trialId, int attempt, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);

    /// <summary>Stores an artifact of the upload's attempt; refused (<see cref="RefusalKind.StaleAttempt"/>) unless the trial's rows show that attempt live.</summary>
    Task<Outcome<ArtifactInfo>> PutArtifactAsync(ArtifactUpload upload, CancellationToken cancellationToken);

    Task<Artifact?> GetArtifactAsync(string artifactId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the trial's row still waits for its first placement: pending, and listed by its sweep's current revision.
    /// A cancel (of the sweep, or by a revision that removed the trial) that reached the rows first says no.
    /// </summary>
    Task<bool> IsPlaceableAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>The resolved configuration the trial trains with.</summary>
    Task<string?> GetConfigJsonAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Every trial waiting for a slot, and every trial whose attempt holds slots (placed or running), with their definitions.</summary>
    Task<SchedulerSnapshot> LoadSchedulerSnapshotAsync(IReadOnlySet<string>? onlySweepIds, CancellationToken cancellationToken);

    /// <summary>Stores why each of these pending trials still waits (only those whose reason changed are passed).</summary>
    Task SetPendingReasonsAsync(IReadOnlyDictionary<string, string> reasons, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the sweep and its new trials as pending, or applies the revision rule to a stored sweep of the same id
    /// (<see cref="Revisions.SweepRevisions"/>): kept trials keep their state, removed unfinished ones are cancelled.
    /// </summary>
    Task<SubmitResult> SubmitSweepAsync(NewSweep sweep, IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken);

    /// <summary>Trials the sweep's current revision no longer lists that had an attempt: their grains hold state.</summary>
    Task<IReadOnlyList<string>> ListRemovedWithAttemptsAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the sweep cancelled and every unfinished trial row cancelled. Returns the ids of those trials whose grain
    /// holds state (they had an attempt), which must cancel too; NotFound for an unknown sweep.
    /// </summary>
    Task<Outcome<IReadOnlyList<string>>> CancelSweepAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>The sweep's row with its trial counts per state; null for an unknown sweep.</summary>
    Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>The sweep's trials in sweep order, removed ones included (marked).</summary>
    Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>Every metric point of a trial (all attempts).</summary>
    Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>
    /// The sweep's early-stopping rule and the trials it judges (those its current revision lists that take part), in
    /// sweep order; a null policy when the sweep has none or does not exist.
    /// </summary>
    Task<(EarlyStopping.StoppingPolicy? Policy, IReadOnlyList<EarlyStopping.StoppingMember> Members)> GetStoppingAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>
    /// Prunes the row of a trial whose grain holds no state (it was never placed): pending with no attempt becomes
    /// pruned, with <paramref name="reason"/>, and is never placed. False when the row is anything else.
    /// </summary>
    Task<bool> PruneUnplacedAsync(string trialId, string reason, CancellationToken cancellationToken);
}
