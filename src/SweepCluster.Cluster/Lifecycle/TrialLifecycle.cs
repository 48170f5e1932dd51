namespace SweepCluster.Cluster.Lifecycle;

/// <summary>
/// The trial state machine: every transition is a pure function from a <see cref="TrialSnapshot"/>
/// to either the next snapshot (with the event to log) or a typed <see cref="Refusal"/>.
/// </summary>
/// <remarks>
/// <para>Allowed transitions (trial / attempt):</para>
/// <list type="bullet">
/// <item>Lease: pending -> leased, a new attempt number (previous + 1) in state leased.</item>
/// <item>Heartbeat: leased|running -> running, the lease renewed; only from the live attempt's silo.</item>
/// <item>Complete: leased|running -> succeeded (attempt succeeded).</item>
/// <item>Fail: leased|running -> pending (attempt failed) while attempts remain, else failed.</item>
/// <item>Diverge: leased|running -> failed (attempt failed, "diverged at step N (loss.X = NaN)"), attempts left or not:
/// a retry would diverge again.</item>
/// <item>Expire: leased|running with the lease run out -> pending (attempt lost) while attempts remain, else failed.</item>
/// <item>Cancel: pending|leased|running -> cancelled (a live attempt is cancelled too).</item>
/// <item>Remove (a new revision of the sweep no longer lists the trial): pending|leased|running -> cancelled as Cancel
/// does, marked cancelled by removal; a final trial keeps its state and result. Either way the trial is marked removed.</item>
/// <item>Restore (a later revision lists it again): the mark is cleared; cancelled by removal -> pending while it has
/// an attempt left (else it stays cancelled by removal until a revision allows more); any other keeps its state and result.</item>
/// </list>
/// <para>A removed trial is never leased.</para>
/// <para>
/// The attempt number is the fencing token: a report naming any other attempt, or naming the
/// latest attempt after it ended (lost, failed, cancelled), is refused as
/// <see cref="RefusalKind.StaleAttempt"/>. A repeated Complete or Fail of the same attempt from
/// the same silo (or a repeated Diverge) is accepted as unchanged, so retried requests are idempotent.
/// A lease that has run out still belongs to its holder until <see cref="Expire"/> is applied:
/// only the coordinator's expiry pass takes a trial away.
/// </para>
/// </remarks>
public static class TrialLifecycle
{
    /// <summary>Hands a pending trial to a silo as a new attempt.</summary>
    public static Outcome<TrialChange> Lease(TrialSnapshot trial, string siloId, IReadOnlyList<string> slotIds, DateTimeOffset now, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(slotIds);
        if (trial.State != TrialState.Pending)
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; only a pending trial can be leased.");
        }

        if (trial.RemovedInRevision is { } removed)
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} was removed from its sweep in revision {removed}.");
        }

        if (trial.CurrentAttempt >= trial.MaxAttempts)
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} has used all {trial.MaxAttempts} attempts.");
        }

        var number = trial.CurrentAttempt + 1;
        var attempt = new AttemptSnapshot(number, AttemptState.Leased, siloId, slotIds, now + ttl, now, null, null, null);
        var next = trial with { State = TrialState.Leased, CurrentAttempt = number, Attempt = attempt, PendingReason = null };
        return Accept(next, "attempt.leased", $"attempt {number} leased to silo {siloId} on slot(s) {string.Join(", ", slotIds)}");
    }

    /// <summary>Renews the live attempt's lease and marks it running.</summary>
    public static Outcome<TrialChange> Heartbeat(TrialSnapshot trial, int attempt, string siloId, DateTimeOffset now, TimeSpan ttl, AttemptProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (CheckHolder(trial, attempt, siloId) is { } refusal)
        {
            return refusal;
        }

        var live = trial.Attempt!;
        var started = live.State == AttemptState.Leased;
        var next = trial with
        {
            State = TrialState.Running,
            Attempt = live with { State = AttemptState.Running, LeaseExpiresAt = now + ttl, Progress = progress ?? live.Progress },
        };
        return started
            ? Accept(next, "attempt.running", $"attempt {attempt} running on silo {siloId}")
            : Accept(next, "attempt.heartbeat", $"attempt {attempt} lease renewed until {next.Attempt!.LeaseExpiresAt:O}");
    }

    /// <summary>Finishes the trial successfully with the trainer's summary.</summary>
    public static Outcome<TrialChange> Complete(TrialSnapshot trial, int attempt, string siloId, DateTimeOffset now, string summaryJson)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State == TrialState.Succeeded && IsSameEndedAttempt(trial, attempt, siloId, AttemptState.Succeeded))
        {
            return Repeat(trial, "attempt.succeeded", attempt);
        }

        if (CheckHolder(trial, attempt, siloId) is { } refusal)
        {
            return refusal;
        }

        var next = trial with
        {
            State = TrialState.Succeeded,
            SummaryJson = summaryJson,
            Attempt = trial.Attempt! with { State = AttemptState.Succeeded, EndedAt = now },
        };
        return Accept(next, "attempt.succeeded", $"attempt {attempt} succeeded; trial {trial.Id} succeeded");
    }

    /// <summary>Ends the live attempt as failed; the trial retries while attempts remain.</summary>
    public static Outcome<TrialChange> Fail(TrialSnapshot trial, int attempt, string siloId, DateTimeOffset now, string error)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (IsSameEndedAttempt(trial, attempt, siloId, AttemptState.Failed))
        {
            return Repeat(trial, "attempt.failed", attempt);
        }

        if (CheckHolder(trial, attempt, siloId) is { } refusal)
        {
            return refusal;
        }

        var ended = trial.Attempt! with { State = AttemptState.Failed, EndedAt = now, Error = error };
        return Requeue(trial, ended, "attempt.failed", $"attempt {attempt} failed: {error}");
    }

    /// <summary>Ends the live attempt as failed because its training diverged, and the trial with it: no retry.</summary>
    public static Outcome<TrialChange> Diverge(TrialSnapshot trial, int attempt, string siloId, DateTimeOffset now, Divergence divergence)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(divergence);
        if (trial.State == TrialState.Failed && IsSameEndedAttempt(trial, attempt, siloId, AttemptState.Failed))
        {
            return Repeat(trial, "attempt.failed", attempt);
        }

        if (CheckHolder(trial, attempt, siloId) is { } refusal)
        {
            return refusal;
        }

        var reason = divergence.Reason;
        var failed = trial with
        {
            State = TrialState.Failed,
            Attempt = trial.Attempt! with { State = AttemptState.Failed, EndedAt = now, Error = reason },
            PendingReason = null,
        };
        return Accept(failed, "attempt.failed", $"attempt {attempt} failed: {reason}; trial {trial.Id} failed without a retry (a retry would diverge again)");
    }

    /// <summary>Declares the live attempt lost because its lease ran out; the trial retries while attempts remain.</summary>
    public static Outcome<TrialChange> Expire(TrialSnapshot trial, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Attempt is not { IsLive: true } live || trial.State is not (TrialState.Leased or TrialState.Running))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; it holds no lease to expire.");
        }

        if (live.LeaseExpiresAt > now)
        {
            return Refusal.LeaseStillValid($"Attempt {live.Number} of trial {trial.Id} holds its lease until {live.LeaseExpiresAt:O}.");
        }

        var ended = live with { State = AttemptState.Lost, EndedAt = now, Error = $"lease expired at {live.LeaseExpiresAt:O} (silo {live.SiloId} stopped sending heartbeats)" };
        return Requeue(trial, ended, "attempt.lost", $"attempt {live.Number} lost: lease on silo {live.SiloId} expired at {live.LeaseExpiresAt:O}");
    }

    /// <summary>Cancels a trial that has not finished, and its live attempt if it has one.</summary>
    public static Outcome<TrialChange> Cancel(TrialSnapshot trial, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State is not (TrialState.Pending or TrialState.Leased or TrialState.Running))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; only a pending, leased or running trial can be cancelled.");
        }

        var attempt = trial.Attempt is { IsLive: true } live
            ? live with { State = AttemptState.Cancelled, EndedAt = now }
            : trial.Attempt;
        var next = trial with { State = TrialState.Cancelled, Attempt = attempt, PendingReason = null };
        return Accept(next, "trial.cancelled", $"trial {trial.Id} cancelled while {Name(trial.State)}");
    }

    /// <summary>
    /// Takes a trial out of its sweep because revision <paramref name="revision"/> no longer lists it: an unfinished
    /// trial is cancelled (and its live attempt, so its silo is told to stop); a finished one keeps its result.
    /// </summary>
    public static Outcome<TrialChange> Remove(TrialSnapshot trial, int revision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.RemovedInRevision is { } removed)
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} was already removed from its sweep in revision {removed}.");
        }

        var reason = $"removed from the sweep in revision {revision}";
        if (trial.IsFinal)
        {
            return Accept(trial with { RemovedInRevision = revision }, "trial.removed",
                $"trial {trial.Id} {reason}; it stays {Name(trial.State)} and keeps its result");
        }

        var attempt = trial.Attempt is { IsLive: true } live
            ? live with { State = AttemptState.Cancelled, EndedAt = now }
            : trial.Attempt;
        var next = trial with
        {
            State = TrialState.Cancelled,
            Attempt = attempt,
            PendingReason = null,
            RemovedInRevision = revision,
            CancelledByRemoval = true,
        };
        return Accept(next, "trial.removed", $"trial {trial.Id} cancelled while {Name(trial.State)}: {reason}");
    }

    /// <summary>
    /// Takes a trial back into its sweep because revision <paramref name="revision"/> lists it again. A trial its
    /// removal cancelled is pending again with <paramref name="pendingReason"/> (its next attempt resumes from its last
    /// checkpoint) if it has an attempt left; otherwise it stays cancelled, still marked cancelled by removal, until a
    /// revision allows it more attempts (applying Restore to it then makes it pending). Any other trial keeps its state
    /// and result.
    /// </summary>
    public static Outcome<TrialChange> Restore(TrialSnapshot trial, int revision, string pendingReason)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var waiting = trial is { State: TrialState.Cancelled, CancelledByRemoval: true };
        var attemptLeft = trial.CurrentAttempt < trial.MaxAttempts;
        if (trial.RemovedInRevision is null && !(waiting && attemptLeft))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is listed by its sweep and has nothing to resume.");
        }

        var back = trial with { RemovedInRevision = null };
        if (!waiting)
        {
            return Accept(back, "trial.restored", $"trial {trial.Id} listed again in revision {revision}; it stays {Name(trial.State)} and its result is reused");
        }

        if (!attemptLeft)
        {
            return Accept(back, "trial.restored",
                $"trial {trial.Id} listed again in revision {revision}; it stays cancelled: its removal cancelled attempt {trial.CurrentAttempt} of {trial.MaxAttempts}, so it needs more attempts to run");
        }

        var next = back with { State = TrialState.Pending, PendingReason = pendingReason, CancelledByRemoval = false };
        return Accept(next, "trial.restored", $"trial {trial.Id} listed in revision {revision}: pending again ({pendingReason})");
    }

    /// <summary>
    /// Checks that <paramref name="attempt"/> is the trial's live attempt and that
    /// <paramref name="siloId"/> holds it; null when it does. Reports (metrics, checkpoints) use this
    /// guard without changing the trial.
    /// </summary>
    public static Refusal? CheckHolder(TrialSnapshot trial, int attempt, string siloId)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Attempt is null || attempt != trial.CurrentAttempt)
        {
            return Refusal.StaleAttempt($"Attempt {attempt} of trial {trial.Id} is not its current attempt ({trial.CurrentAttempt}).");
        }

        if (!trial.Attempt.IsLive)
        {
            return Refusal.StaleAttempt($"Attempt {attempt} of trial {trial.Id} has ended ({Name(trial.Attempt.State)}).");
        }

        if (!string.Equals(trial.Attempt.SiloId, siloId, StringComparison.Ordinal))
        {
            return Refusal.NotHolder($"Attempt {attempt} of trial {trial.Id} is held by silo {trial.Attempt.SiloId}, not {siloId}.");
        }

        return null;
    }

    private static Outcome<TrialChange> Requeue(TrialSnapshot trial, AttemptSnapshot ended, string eventKind, string message)
    {
        if (trial.CurrentAttempt >= trial.MaxAttempts)
        {
            var failed = trial with { State = TrialState.Failed, Attempt = ended, PendingReason = null };
            return Accept(failed, eventKind, $"{message}; trial failed after {trial.MaxAttempts} attempt(s)");
        }

        var resume = trial.LastCheckpointArtifactId is null ? "from the start" : $"from checkpoint {trial.LastCheckpointArtifactId}";
        var reason = $"attempt {ended.Number} {Name(ended.State)}; attempt {ended.Number + 1} of {trial.MaxAttempts} will resume {resume}";
        var pending = trial with { State = TrialState.Pending, Attempt = ended, PendingReason = reason };
        return Accept(pending, eventKind, $"{message}; requeued, {reason}");
    }

    private static bool IsSameEndedAttempt(TrialSnapshot trial, int attempt, string siloId, AttemptState state) =>
        trial.Attempt is { } a
        && a.Number == attempt
        && trial.CurrentAttempt == attempt
        && a.State == state
        && string.Equals(a.SiloId, siloId, StringComparison.Ordinal);

    private static Outcome<TrialChange> Accept(TrialSnapshot next, string kind, string message) =>
        Outcome<TrialChange>.Accepted(new TrialChange(next, kind, message));

    private static Outcome<TrialChange> Repeat(TrialSnapshot trial, string kind, int attempt) =>
        Outcome<TrialChange>.Accepted(new TrialChange(trial, kind, $"attempt {attempt} reported again; already recorded", Unchanged: true));

    internal static string Name(TrialState state) => state.ToString().ToLowerInvariant();

    internal static string Name(AttemptState state) => state.ToString().ToLowerInvariant();
}
