using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Revisions;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary><see cref="ITrialRecords"/> over the relational store (SQLite embedded, PostgreSQL in a cluster).</summary>
public sealed class StoreTrialRecords(ITrialStore store, TimeProvider time) : ITrialRecords
{
    /// <summary>How many pending-reason updates run at once.</summary>
    private const int PendingReasonWriters = 16;

    public async Task ProjectAsync(TrialGrainState state, string eventKind, string message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var outcome = await store.UpdateTrialAsync(state.TrialId,
            current => Outcome<TrialChange>.Accepted(new TrialChange(Project(state, current), eventKind, message)), cancellationToken);
        if (!outcome.IsAccepted)
        {
            throw new InvalidOperationException($"Trial {state.TrialId} has no row to record its state on: {outcome.Refusal.Message}");
        }
    }

    public Task ProjectProgressAsync(TrialGrainState state, AttemptProgressReport progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        return store.UpdateTrialAsync(state.TrialId, current =>
        {
            var projected = Project(state, current);
            if (projected.Attempt is not { } attempt)
            {
                return Outcome<TrialChange>.Accepted(new TrialChange(current, "attempt.progress", "no attempt", Unchanged: true));
            }

            var next = projected with { Attempt = attempt with { Progress = new AttemptProgress(progress.Step, progress.TotalSteps, progress.Epoch) } };
            return Outcome<TrialChange>.Accepted(new TrialChange(next, "attempt.progress",
                $"attempt {attempt.Number} at step {progress.Step}{(progress.TotalSteps is { } total ? $" of {total}" : string.Empty)}"));
        }, cancellationToken);
    }

    public Task<Outcome<int>> AppendMetricsAsync(string trialId, int attempt, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        store.AppendMetricsAsync(trialId, attempt, points, row => LiveAttemptGuard(row, attempt), cancellationToken);

    public Task<Outcome<ArtifactInfo>> PutArtifactAsync(ArtifactUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return store.PutArtifactAsync(upload, row => LiveAttemptGuard(row, upload.Attempt), cancellationToken);
    }

    public Task<Artifact?> GetArtifactAsync(string artifactId, CancellationToken cancellationToken) => store.GetArtifactAsync(artifactId, cancellationToken);

    public async Task<string?> GetConfigJsonAsync(string trialId, CancellationToken cancellationToken) =>
        (await store.GetTrialAsync(trialId, cancellationToken))?.Definition.ConfigJson;

    public async Task<SchedulerSnapshot> LoadSchedulerSnapshotAsync(IReadOnlySet<string>? onlySweepIds, CancellationToken cancellationToken)
    {
        var pending = new List<QueuedTrial>();
        var live = new List<SlotAllocation>();
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var sweep in await store.ListSweepsAsync(cancellationToken))
        {
            if (onlySweepIds is not null && !onlySweepIds.Contains(sweep.Sweep.Id))
            {
                continue;
            }

            foreach (var trial in await store.ListTrialsAsync(sweep.Sweep.Id, cancellationToken))
            {
                var snapshot = trial.Snapshot;
                if (snapshot.State == TrialState.Pending)
                {
                    pending.Add(new QueuedTrial { TrialId = snapshot.Id, Attempt = snapshot.CurrentAttempt + 1, Definition = Definition(trial) });
                    if (snapshot.PendingReason is { } reason)
                    {
                        reasons[snapshot.Id] = reason;
                    }
                }
                else if (snapshot.Attempt is { IsLive: true } attempt)
                {
                    live.Add(new SlotAllocation
                    {
                        TrialId = snapshot.Id,
                        SweepId = snapshot.SweepId,
                        Attempt = attempt.Number,
                        SiloId = attempt.SiloId,
                        SlotIds = [.. attempt.SlotIds],
                        PlacedAt = attempt.StartedAt,
                        Confirmed = true,
                    });
                }
            }
        }

        return new SchedulerSnapshot(pending, live) { PendingReasons = reasons };
    }

    public async Task SetPendingReasonsAsync(IReadOnlyDictionary<string, string> reasons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        // Several at a time rather than one after another: the SQLite store commits concurrent writes together, and
        // PostgreSQL takes them over several connections. (A new silo changes the reason of every waiting trial.)
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = PendingReasonWriters, CancellationToken = cancellationToken, TaskScheduler = TaskScheduler.Default };
        await Parallel.ForEachAsync(reasons, parallel, async (entry, token) =>
        {
            var (trialId, reason) = entry;
            await store.UpdateTrialAsync(trialId, current => Outcome<TrialChange>.Accepted(
                current.State != TrialState.Pending || string.Equals(current.PendingReason, reason, StringComparison.Ordinal)
                    ? new TrialChange(current, "trial.waiting", reason, Unchanged: true)
                    : new TrialChange(current with { PendingReason = reason }, "trial.waiting", reason)), token);
        });
    }

    public Task<SubmitResult> SubmitSweepAsync(NewSweep sweep, IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        var now = time.GetUtcNow();
        return store.SubmitSweepAsync(sweep.Id, [.. trials.Select(t => t.Id)],
            (stored, storedTrials) => SweepRevisions.Plan(stored, storedTrials, sweep, trials, now, TrialMachine.WaitingForSlot), cancellationToken);
    }

    public async Task<(EarlyStopping.StoppingPolicy? Policy, IReadOnlyList<EarlyStopping.StoppingMember> Members)> GetStoppingAsync(
        string sweepId, CancellationToken cancellationToken)
    {
        if (await store.GetSweepAsync(sweepId, cancellationToken) is not { Sweep.EarlyStopping: { } policy })
        {
            return (null, []);
        }

        var trials = await store.ListTrialsAsync(sweepId, cancellationToken);
        return (policy, [.. trials
            .Where(t => t.Definition.EarlyStopping && t.Snapshot.RemovedInRevision is null)
            .Select(t => new EarlyStopping.StoppingMember(t.Definition.Id, t.Definition.ConfigKey))]);
    }

    public async Task<bool> PruneUnplacedAsync(string trialId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcome = await store.UpdateTrialAsync(trialId, current => current is { State: TrialState.Pending, CurrentAttempt: 0 }
            ? TrialLifecycle.Prune(current, now, reason)
            : Refusal.InvalidTransition($"Trial {trialId} has been placed or has finished; its grain prunes it."), cancellationToken);
        return outcome.IsAccepted;
    }

    public async Task<bool> IsPlaceableAsync(string trialId, CancellationToken cancellationToken) =>
        await store.GetTrialAsync(trialId, cancellationToken) is { Snapshot: { State: TrialState.Pending, RemovedInRevision: null } };

    public async Task<IReadOnlyList<string>> ListRemovedWithAttemptsAsync(string sweepId, CancellationToken cancellationToken) =>
        [.. (await store.ListTrialsAsync(sweepId, cancellationToken))
            .Where(t => t.Snapshot.RemovedInRevision is not null && t.Snapshot.CurrentAttempt > 0)
            .Select(t => t.Snapshot.Id)];

    public async Task<Outcome<IReadOnlyList<string>>> CancelSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var outcome = await store.CancelSweepAsync(sweepId, trial => TrialLifecycle.Cancel(trial, now), cancellationToken);
        return outcome.IsAccepted
            ? Outcome<IReadOnlyList<string>>.Accepted([.. outcome.Value.Where(c => c.Next.CurrentAttempt > 0).Select(c => c.Next.Id)])
            : outcome.Refusal;
    }

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) => store.GetSweepAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken) => store.ListTrialsAsync(sweepId, cancellationToken);

    public Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken) =>
        store.GetMetricPointsAsync(trialId, cancellationToken);

    /// <summary>The grain's definition of a trial from its row.</summary>
    public static TrialDefinition Definition(TrialRecord trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return new TrialDefinition
        {
            SweepId = trial.Snapshot.SweepId,
            MaxAttempts = trial.Definition.MaxAttempts,
            ConfigName = trial.Definition.ConfigName,
            Priority = trial.Definition.Priority,
            OrderIndex = trial.Definition.OrderIndex,
            SubmittedAt = trial.Snapshot.SubmittedAt,
            Resources = TrialResources.From(trial.Definition.Resources),
        };
    }

    /// <summary>
    /// Null when the trial's row shows <paramref name="attempt"/> live (placed or running); else a stale-attempt refusal.
    /// The trial grain fenced the attempt already, but against its own state, which is stale in an activation left on a
    /// silo that hung or was cut off and has since been declared dead: the row, projected after every state write,
    /// then shows the attempt lost (and a store checks it under the row's lock, in the write's transaction).
    /// </summary>
    internal static Refusal? LiveAttemptGuard(TrialSnapshot row, int attempt) =>
        row.CurrentAttempt == attempt && row.Attempt is { IsLive: true } live && live.Number == attempt
            ? null
            : Refusal.StaleAttempt($"Trial {row.Id}: attempt {attempt} is not live in its record (attempt {row.CurrentAttempt} is "
                + $"{(row.Attempt is { } a ? a.State.ToString().ToLowerInvariant() : "not placed")}); nothing of attempt {attempt} is stored.");

    /// <summary>The row's snapshot as the grain's state says it is; what the grain does not hold is kept from the row.</summary>
    internal static TrialSnapshot Project(TrialGrainState state, TrialSnapshot current)
    {
        AttemptSnapshot? attempt = null;
        if (state.Attempt is { } a)
        {
            var progress = current.Attempt is { } row && row.Number == a.Number ? row.Progress : null;
            attempt = new AttemptSnapshot(a.Number, TrialMachine.ToLifecycle(a.Phase), a.SiloId, a.SlotIds, a.PlacedAt, a.EndedAt, a.Error, progress);
        }

        return current with
        {
            State = TrialMachine.ToLifecycle(state.Phase),
            CurrentAttempt = state.CurrentAttempt,
            MaxAttempts = state.MaxAttempts,
            Attempt = attempt,
            PendingReason = state.PendingReason,
            SummaryJson = state.SummaryJson,
            LastCheckpointArtifactId = state.CheckpointRef,
            StopReason = state.PrunedReason,
        };
    }
}
