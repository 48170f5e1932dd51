using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// The relational record of the cluster: sweeps, trials and their attempts, metric points,
/// artifacts and the event log.
/// </summary>
/// <remarks>
/// <para><b>Thread safety.</b> Every member may be called concurrently from any thread, and several
/// store instances (several processes) may share one database.</para>
/// <para><b>Atomicity.</b> Each write method is one transaction: it either commits completely or
/// changes nothing. Methods that take a decision function (<see cref="SubmitSweepAsync"/>,
/// <see cref="UpdateTrialAsync"/>, <see cref="CancelSweepAsync"/>, and the guards of
/// <see cref="AppendMetricsAsync"/> and <see cref="PutArtifactAsync"/>) read the trial rows,
/// call the function and write its result inside that transaction, with the rows locked against
/// every other writer: no two callers can ever act on the same trial state, so a stale attempt can
/// never overwrite a newer one. The decision functions
/// must be pure (they may run again if the store retries the transaction) and must not call the store.
/// The store does not know the lifecycle rules: it persists what the functions return.</para>
/// <para><b>Durability.</b> A method that returned has committed its write durably; it survives a
/// process kill.</para>
/// <para><b>Idempotency.</b> A submission writes what its plan decides; the plan of the same definition submitted
/// again (<see cref="Revisions.SweepRevisions"/>) writes nothing but the sweep's event. A metric point is unique on
/// (trial, attempt, step, name): a repeated point is ignored, never duplicated, and the first value stays. An artifact's id is derived from
/// (trial, attempt, kind, name): uploading it again replaces its content under the same id.
/// A <see cref="TrialChange"/> marked unchanged is acknowledged without a write or an event.</para>
/// <para><b>Ownership.</b> The store owns its connections; dispose it once, after all calls have
/// finished. Snapshots it returns are immutable copies.</para>
/// </remarks>
public interface ITrialStore : IAsyncDisposable
{
    /// <summary>
    /// Reads sweep <paramref name="sweepId"/> (null when it is not stored), every trial stored for it (removed ones
    /// included) and the trials of <paramref name="trialIds"/> that another sweep holds, passes them to
    /// <paramref name="plan"/> and writes what it returns (<see cref="SubmitPlan"/>): the sweep's definition and revision,
    /// new trials as pending, replaced trial definitions, transitions of the sweep's own trials and the sweep's event. The
    /// sweep and its own trials are locked against every other writer meanwhile, so two submissions of one sweep never
    /// decide on the same state. A new trial whose id another sweep holds is left as it is. Returns the plan's result.
    /// </summary>
    /// <param name="trialIds">The ids the submission lists.</param>
    Task<SubmitResult> SubmitSweepAsync(string sweepId, IReadOnlyList<string> trialIds, Func<SweepRecord?, IReadOnlyList<TrialRecord>, SubmitPlan> plan,
        CancellationToken cancellationToken);

    /// <summary>
    /// Applies one transition to one trial atomically. Returns the transition's outcome; a refusal
    /// (or an unknown trial, refused as <see cref="RefusalKind.NotFound"/>) changes nothing.
    /// </summary>
    Task<Outcome<TrialChange>> UpdateTrialAsync(string trialId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the sweep cancelled and applies <paramref name="transition"/> to each of its trials
    /// that is not final, all in one transaction; refused transitions are skipped. Returns the
    /// applied changes, or NotFound for an unknown sweep.
    /// </summary>
    Task<Outcome<IReadOnlyList<TrialChange>>> CancelSweepAsync(string sweepId, Func<TrialSnapshot, Outcome<TrialChange>> transition, CancellationToken cancellationToken);

    /// <summary>
    /// Records metric points of one attempt if <paramref name="guard"/> accepts the trial's
    /// current state (returns null). Returns how many points were new.
    /// </summary>
    Task<Outcome<int>> AppendMetricsAsync(string trialId, int attempt, IReadOnlyList<MetricPoint> points, Func<TrialSnapshot, Refusal?> guard, CancellationToken cancellationToken);

    /// <summary>
    /// Stores an artifact if <paramref name="guard"/> accepts the trial's current state. A
    /// checkpoint becomes the trial's resume point.
    /// </summary>
    Task<Outcome<ArtifactInfo>> PutArtifactAsync(ArtifactUpload upload, Func<TrialSnapshot, Refusal?> guard, CancellationToken cancellationToken);

    Task<Artifact?> GetArtifactAsync(string artifactId, CancellationToken cancellationToken);

    Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string trialId, CancellationToken cancellationToken);

    Task AppendEventAsync(NewEvent entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>The id of the newest event of the whole log (0 when it is empty): a cursor for reading what comes after it.</summary>
    Task<long> LatestEventIdAsync(CancellationToken cancellationToken);

    /// <summary>Every sweep, newest submission first.</summary>
    Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken);

    Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken);

    /// <summary>
    /// The trials of a sweep in sweep order, those its current revision no longer lists included
    /// (<see cref="TrialSnapshot.RemovedInRevision"/>).
    /// </summary>
    Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken);

    Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Every attempt of a trial, first attempt first.</summary>
    Task<IReadOnlyList<AttemptSnapshot>> ListAttemptsAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>Every metric point of a trial, ordered by name, step and attempt.</summary>
    Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken);

    /// <summary>The schema migrations applied to the database, in order.</summary>
    Task<IReadOnlyList<AppliedMigration>> GetAppliedMigrationsAsync(CancellationToken cancellationToken);
}
