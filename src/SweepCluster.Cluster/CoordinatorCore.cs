using System.Collections.Concurrent;
using System.Text.Json;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Placement;
using SweepCluster.Cluster.Revisions;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster;

/// <summary>
/// The coordinator's logic without a transport: the single authority over sweeps, trials, leases,
/// metrics and artifacts. The HTTP API and the embedded runner call it.
/// </summary>
/// <remarks>
/// Thread safe: every decision is taken inside one store transaction by the pure
/// <see cref="TrialLifecycle"/> and <see cref="TrialPlacer"/>. The only state kept here is what saves
/// a claim store round trips without deciding anything: the cluster's silo list (it only words the
/// reasons of trials no silo could ever take) and when each silo was last marked alive, both at most
/// <see cref="ClaimCacheInterval"/> old. Every request that names an
/// attempt is fenced: when the attempt number is not the trial's live attempt, or the silo does not
/// hold it, the request is refused (<see cref="RefusalKind.StaleAttempt"/>,
/// <see cref="RefusalKind.NotHolder"/>) and nothing changes. A lease that has run out still belongs
/// to its silo until <see cref="ExpireLeasesAsync"/> runs, which the host calls periodically.
/// Attempts a silo stops mentioning in heartbeats are recovered the same way, by lease expiry.
/// </remarks>
public sealed class CoordinatorCore
{
    private const string InitialPendingReason = "queued; not yet offered to a silo";

    /// <summary>How old the cached silo list and a silo's last claim-time heartbeat may be.</summary>
    public static readonly TimeSpan ClaimCacheInterval = TimeSpan.FromSeconds(1);

    private readonly ITrialStore _store;
    private readonly TimeProvider _time;
    private readonly CoordinatorOptions _options;
    private readonly TrialPlacer _placer;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _touchedAt = new(StringComparer.Ordinal);
    private volatile ClusterView? _cluster;

    public CoordinatorCore(ITrialStore store, TimeProvider time, CoordinatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _options = options;
        _placer = new TrialPlacer(options.Placement);
    }

    /// <summary>
    /// Stores a sweep and its trials as pending, or, when a sweep of the same id is stored, applies the revision rule
    /// (<see cref="SweepRevisions"/>): the same definition again changes nothing; a different one becomes the next
    /// revision, which keeps the trials both list (and their results), adds the new ones and removes (cancelling if
    /// unfinished) those no longer listed.
    /// </summary>
    public async Task<Outcome<SubmitResult>> SubmitSweepAsync(NewSweep sweep, IReadOnlyList<NewTrial> trials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        if (Validate(sweep, trials) is { } invalid)
        {
            return invalid;
        }

        var now = _time.GetUtcNow();
        return Outcome<SubmitResult>.Accepted(await _store.SubmitSweepAsync(sweep.Id, [.. trials.Select(t => t.Id)],
            (stored, storedTrials) => SweepRevisions.Plan(stored, storedTrials, sweep, trials, now, InitialPendingReason), cancellationToken));
    }

    /// <summary>Registers a silo, or updates its labels and slots when it registers again (after a restart).</summary>
    public async Task<Outcome<SiloInfo>> RegisterSiloAsync(SiloInfo silo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        if (string.IsNullOrWhiteSpace(silo.Id))
        {
            return Refusal.Invalid("A silo needs an id.");
        }

        if (silo.Slots.Count == 0)
        {
            return Refusal.Invalid($"Silo {silo.Id} offers no slots.");
        }

        var duplicate = silo.Slots.GroupBy(s => s.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Refusal.Invalid($"Silo {silo.Id} names slot {duplicate.Key} twice.");
        }

        await _store.UpsertSiloAsync(silo, cancellationToken);
        _cluster = null;
        return Outcome<SiloInfo>.Accepted(silo);
    }

    /// <summary>
    /// Places pending trials on the silo's free slots and leases them to it. Returns the new
    /// attempts (possibly none); every trial left pending gets a reason.
    /// </summary>
    public Task<Outcome<IReadOnlyList<ClaimedAttempt>>> ClaimAsync(string siloId, IReadOnlyList<string> freeSlotIds, CancellationToken cancellationToken) =>
        ClaimAsync(siloId, freeSlotIds, onlySweepId: null, cancellationToken);

    /// <summary>
    /// As <see cref="ClaimAsync(string, IReadOnlyList{string}, CancellationToken)"/>, taking only trials of
    /// <paramref name="onlySweepId"/> when it is given: the embedded <c>run</c> of one sweep file leaves the
    /// pending trials of other sweeps in the same store alone (and their reasons unchanged).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<ClaimedAttempt>>> ClaimAsync(string siloId, IReadOnlyList<string> freeSlotIds, string? onlySweepId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(freeSlotIds);
        var record = await _store.GetSiloAsync(siloId, cancellationToken);
        if (record is null)
        {
            return Refusal.NotFound($"Silo {siloId} is not registered.");
        }

        var silo = record.Silo;
        var unknown = freeSlotIds.Where(id => !silo.Slots.Any(s => string.Equals(s.Id, id, StringComparison.Ordinal))).ToList();
        if (unknown.Count > 0)
        {
            return Refusal.Invalid($"Silo {siloId} has no slot(s) {string.Join(", ", unknown)}.");
        }

        var now = _time.GetUtcNow();
        if (!_touchedAt.TryGetValue(siloId, out var touched) || now - touched >= ClaimCacheInterval || now < touched)
        {
            // Asking for work is a sign of life, but once a second is enough to say so.
            await _store.TouchSiloAsync(siloId, cancellationToken);
            _touchedAt[siloId] = now;
        }

        var cluster = (await SilosAsync(now, cancellationToken))
            .Where(s => string.Equals(s.Silo.Id, siloId, StringComparison.Ordinal) || now - s.LastHeartbeatAt <= _options.SiloTimeout)
            .SelectMany(s => PlacementSlot.Of(s.Silo))
            .ToList();
        var free = PlacementSlot.Of(silo).Where(s => freeSlotIds.Contains(s.SlotId, StringComparer.Ordinal)).ToList();

        var leased = await _store.ClaimAsync(free.Count, pending =>
        {
            var byId = pending.ToDictionary(t => t.Id, StringComparer.Ordinal);
            var plan = _placer.Place(
                [.. pending.Where(t => onlySweepId is null || string.Equals(t.SweepId, onlySweepId, StringComparison.Ordinal)).Select(t => new PendingTrial(t.Id, t.Resources, t.Priority, t.SubmittedAt, t.OrderIndex))],
                free,
                cluster);
            var leases = plan.Assignments
                .Select(a => TrialLifecycle.Lease(byId[a.TrialId], siloId, [.. a.Slots.Select(s => s.SlotId)], now, _options.LeaseTtl).Value)
                .ToList();
            return new ClaimPlan(leases, plan.PendingReasons);
        }, cancellationToken);

        var claimed = new List<ClaimedAttempt>(leased.Count);
        foreach (var trial in leased)
        {
            var definition = await _store.GetTrialAsync(trial.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Trial {trial.Id} vanished right after it was leased.");
            var attempt = trial.Attempt!;
            var slots = attempt.SlotIds.Select(id => silo.Slots.First(s => string.Equals(s.Id, id, StringComparison.Ordinal))).ToList();
            claimed.Add(new ClaimedAttempt(trial.Id, trial.SweepId, definition.Definition.ConfigName, attempt.Number, slots, definition.Definition.ConfigJson,
                trial.LastCheckpointArtifactId, attempt.LeaseExpiresAt));
        }

        return Outcome<IReadOnlyList<ClaimedAttempt>>.Accepted(claimed);
    }

    /// <summary>Every registered silo, from the store at most <see cref="ClaimCacheInterval"/> ago (or since a silo registered).</summary>
    private async Task<IReadOnlyList<SiloRecord>> SilosAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_cluster is { } view && now - view.ReadAt < ClaimCacheInterval && now >= view.ReadAt)
        {
            return view.Silos;
        }

        var silos = await _store.ListSilosAsync(cancellationToken);
        _cluster = new ClusterView(now, silos);
        return silos;
    }

    /// <summary>
    /// Renews the leases of the attempts a silo reports holding, and tells it which to stop:
    /// cancelled trials, and attempts that are no longer its own.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<HeldAttemptStatus>>> HeartbeatAsync(string siloId, IReadOnlyList<HeldAttempt> held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (!await _store.TouchSiloAsync(siloId, cancellationToken))
        {
            return Refusal.NotFound($"Silo {siloId} is not registered.");
        }

        var now = _time.GetUtcNow();
        var statuses = new List<HeldAttemptStatus>(held.Count);
        foreach (var attempt in held)
        {
            TrialSnapshot? seen = null;
            var outcome = await _store.UpdateTrialAsync(attempt.TrialId, trial =>
            {
                seen = trial;
                return TrialLifecycle.Heartbeat(trial, attempt.Attempt, siloId, now, _options.LeaseTtl, attempt.Progress);
            }, cancellationToken);
            if (outcome.IsAccepted)
            {
                statuses.Add(new HeldAttemptStatus(attempt.TrialId, attempt.Attempt, HeldAttemptVerdict.Continue, outcome.Value.Next.Attempt!.LeaseExpiresAt, null));
            }
            else if (seen is { State: TrialState.Cancelled, Attempt: { State: AttemptState.Cancelled } cancelled } && cancelled.Number == attempt.Attempt
                && string.Equals(cancelled.SiloId, siloId, StringComparison.Ordinal))
            {
                statuses.Add(new HeldAttemptStatus(attempt.TrialId, attempt.Attempt, HeldAttemptVerdict.Cancel, null, $"trial {attempt.TrialId} was cancelled"));
            }
            else
            {
                statuses.Add(new HeldAttemptStatus(attempt.TrialId, attempt.Attempt, HeldAttemptVerdict.Release, null, outcome.Refusal.Message));
            }
        }

        return Outcome<IReadOnlyList<HeldAttemptStatus>>.Accepted(statuses);
    }

    /// <summary>
    /// Records metric points of a live attempt held by <paramref name="siloId"/>. Idempotent on
    /// (trial, attempt, step, name). Returns how many points were new.
    /// </summary>
    public async Task<Outcome<int>> ReportMetricsAsync(string siloId, string trialId, int attempt, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        var bad = points.FirstOrDefault(p => string.IsNullOrWhiteSpace(p.Name) || string.IsNullOrWhiteSpace(p.Kind) || p.Step < 0);
        if (bad is not null)
        {
            return Refusal.Invalid($"Metric point {bad} needs a name, a kind and a step of 0 or more.");
        }

        return await _store.AppendMetricsAsync(trialId, attempt, points, trial => TrialLifecycle.CheckHolder(trial, attempt, siloId), cancellationToken);
    }

    /// <summary>Stores an artifact of a live attempt held by <paramref name="siloId"/>; a checkpoint becomes the trial's resume point.</summary>
    public async Task<Outcome<ArtifactInfo>> PutArtifactAsync(string siloId, ArtifactUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (string.IsNullOrWhiteSpace(upload.Kind) || string.IsNullOrWhiteSpace(upload.Name))
        {
            return Refusal.Invalid("An artifact needs a kind and a name.");
        }

        if (upload.Content.Length > _options.MaxArtifactBytes)
        {
            return Refusal.Invalid($"Artifact {upload.Name} has {upload.Content.Length} bytes; at most {_options.MaxArtifactBytes} are accepted.");
        }

        return await _store.PutArtifactAsync(upload, trial => TrialLifecycle.CheckHolder(trial, upload.Attempt, siloId), cancellationToken);
    }

    public async Task<Outcome<Artifact>> GetArtifactAsync(string artifactId, CancellationToken cancellationToken) =>
        await _store.GetArtifactAsync(artifactId, cancellationToken) is { } artifact
            ? Outcome<Artifact>.Accepted(artifact)
            : Refusal.NotFound($"Artifact {artifactId} does not exist.");

    /// <summary>Finishes a trial successfully. A repeated completion of the same attempt is accepted and changes nothing.</summary>
    public async Task<Outcome<TrialSnapshot>> CompleteAsync(string siloId, string trialId, int attempt, string summaryJson, CancellationToken cancellationToken)
    {
        if (!IsJson(summaryJson))
        {
            return Refusal.Invalid($"The summary of trial {trialId} is not valid JSON.");
        }

        var now = _time.GetUtcNow();
        return Next(await _store.UpdateTrialAsync(trialId, trial => TrialLifecycle.Complete(trial, attempt, siloId, now, summaryJson), cancellationToken));
    }

    /// <summary>Ends an attempt as failed; the trial is retried while it has attempts left.</summary>
    public async Task<Outcome<TrialSnapshot>> FailAsync(string siloId, string trialId, int attempt, string error, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var message = string.IsNullOrWhiteSpace(error) ? "the attempt failed without a message" : error;
        return Next(await _store.UpdateTrialAsync(trialId, trial => TrialLifecycle.Fail(trial, attempt, siloId, now, message), cancellationToken));
    }

    /// <summary>
    /// Ends an attempt whose training diverged, and its trial, as failed with the reason
    /// <c>diverged at step N (loss.X = NaN)</c>; the trial is not retried. A repeated report changes nothing.
    /// </summary>
    public async Task<Outcome<TrialSnapshot>> FailDivergedAsync(string siloId, string trialId, int attempt, Divergence divergence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(divergence);
        if (string.IsNullOrWhiteSpace(divergence.Metric) || divergence.Step < 0 || double.IsFinite(divergence.Value))
        {
            return Refusal.Invalid($"A divergence names the loss, a step of 0 or more and its value, NaN or infinite; not {divergence}.");
        }

        var now = _time.GetUtcNow();
        return Next(await _store.UpdateTrialAsync(trialId, trial => TrialLifecycle.Diverge(trial, attempt, siloId, now, divergence), cancellationToken));
    }

    /// <summary>Declares every attempt whose lease has run out lost and requeues (or fails) its trial. Returns the trials changed.</summary>
    public async Task<IReadOnlyList<TrialSnapshot>> ExpireLeasesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var expired = new List<TrialSnapshot>();
        foreach (var trialId in await _store.ListExpiredLeasesAsync(now, cancellationToken))
        {
            // Re-checked inside the transaction: a heartbeat may have renewed the lease since the listing.
            var outcome = await _store.UpdateTrialAsync(trialId, trial => TrialLifecycle.Expire(trial, now), cancellationToken);
            if (outcome.IsAccepted)
            {
                expired.Add(outcome.Value.Next);
            }
        }

        return expired;
    }

    /// <summary>Cancels every pending, leased or running trial of a sweep. Returns how many were cancelled.</summary>
    public async Task<Outcome<int>> CancelSweepAsync(string sweepId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var outcome = await _store.CancelSweepAsync(sweepId, trial => TrialLifecycle.Cancel(trial, now), cancellationToken);
        return outcome.IsAccepted ? Outcome<int>.Accepted(outcome.Value.Count) : outcome.Refusal;
    }

    public Task<IReadOnlyList<SweepRecord>> ListSweepsAsync(CancellationToken cancellationToken) => _store.ListSweepsAsync(cancellationToken);

    public Task<SweepRecord?> GetSweepAsync(string sweepId, CancellationToken cancellationToken) => _store.GetSweepAsync(sweepId, cancellationToken);

    /// <summary>
    /// The trials of a sweep in sweep order, each with its state, current attempt, pending reason and summary; those
    /// its current revision no longer lists are included, marked (<see cref="TrialSnapshot.RemovedInRevision"/>).
    /// </summary>
    public Task<IReadOnlyList<TrialRecord>> ListTrialsAsync(string sweepId, CancellationToken cancellationToken) => _store.ListTrialsAsync(sweepId, cancellationToken);

    public Task<TrialRecord?> GetTrialAsync(string trialId, CancellationToken cancellationToken) => _store.GetTrialAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<AttemptSnapshot>> ListAttemptsAsync(string trialId, CancellationToken cancellationToken) => _store.ListAttemptsAsync(trialId, cancellationToken);

    /// <summary>Every metric point of a trial (all attempts), for curves.</summary>
    public Task<IReadOnlyList<MetricPointRecord>> GetMetricPointsAsync(string trialId, CancellationToken cancellationToken) => _store.GetMetricPointsAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string trialId, CancellationToken cancellationToken) => _store.ListArtifactsAsync(trialId, cancellationToken);

    public Task<IReadOnlyList<EventRecord>> ListEventsAsync(EventQuery query, CancellationToken cancellationToken) => _store.ListEventsAsync(query, cancellationToken);

    public Task<IReadOnlyList<SiloRecord>> ListSilosAsync(CancellationToken cancellationToken) => _store.ListSilosAsync(cancellationToken);

    private static Outcome<TrialSnapshot> Next(Outcome<TrialChange> outcome) =>
        outcome.IsAccepted ? Outcome<TrialSnapshot>.Accepted(outcome.Value.Next) : outcome.Refusal;

    private static Refusal? Validate(NewSweep sweep, IReadOnlyList<NewTrial> trials)
    {
        if (string.IsNullOrWhiteSpace(sweep.Id) || string.IsNullOrWhiteSpace(sweep.Name))
        {
            return Refusal.Invalid("A sweep needs an id and a name.");
        }

        var duplicate = trials.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            return Refusal.Invalid($"Sweep {sweep.Name} lists trial {duplicate.Key} twice.");
        }

        foreach (var trial in trials)
        {
            var problem = trial switch
            {
                _ when string.IsNullOrWhiteSpace(trial.Id) => "has no id",
                { MaxAttempts: < 1 } => $"allows {trial.MaxAttempts} attempts; at least 1 is needed",
                { Resources.Gpus: < 0 } => $"asks for {trial.Resources.Gpus} GPUs",
                { Resources.GpuMemoryGiB: < 0 } => $"asks for {trial.Resources.GpuMemoryGiB} GiB of GPU memory",
                _ when !IsJson(trial.ConfigJson) => "has a configuration that is not valid JSON",
                _ when !IsJson(trial.ParametersJson) => "has parameters that are not valid JSON",
                _ => null,
            };
            if (problem is not null)
            {
                return Refusal.Invalid($"Trial {trial.Id} ({trial.ConfigName}) of sweep {sweep.Name} {problem}.");
            }
        }

        return null;
    }

    private static bool IsJson(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private sealed record ClusterView(DateTimeOffset ReadAt, IReadOnlyList<SiloRecord> Silos);
}
