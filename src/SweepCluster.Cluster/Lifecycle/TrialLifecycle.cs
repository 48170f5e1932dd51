namespace SweepCluster.Cluster.Lifecycle;

/// <summary>
/// The trial state machine: every transition is a pure function from a <see cref="TrialSnapshot"/>
/// to either the next snapshot (with the event to log) or a typed <see cref="Refusal"/>.
/// </summary>
/// <remarks>
/// <para>Allowed transitions (trial / attempt):</para>
/// <list type="bullet">
/// <item>Place: pending -> placed, a new attempt number (previous + 1) in state placed on a silo's slots.</item>
/// <item>Start: placed -> running; only from the live attempt's silo.</item>
/// <item>Complete: placed|running -> succeeded (attempt succeeded).</item>
/// <item>Fail: placed|running -> pending (attempt failed) while attempts remain, else failed.</item>
/// <item>Diverge: placed|running -> failed (attempt failed, "diverged at step N (loss.X = NaN)"), attempts left or not:
/// a retry would diverge again.</item>
/// <item>Lose (the attempt's silo is gone): placed|running -> pending (attempt lost) while attempts remain, else failed.</item>
/// <item>Cancel: pending|placed|running -> cancelled (a live attempt is cancelled too).</item>
/// <item>Prune (the sweep's early stopping): pending|placed|running -> pruned (a live attempt is pruned too); final, no retry.</item>
/// <item>Remove (a new revision of the sweep no longer lists the trial): pending|placed|running -> cancelled as Cancel
/// does, marked cancelled by removal; a final trial keeps its state and result. Either way the trial is marked removed.</item>
/// <item>Restore (a later revision lists it again): the mark is cleared; cancelled by removal -> pending while it has
/// an attempt left (else it stays cancelled by removal until a revision allows more); any other keeps its state and result.</item>
/// </list>
/// <para>A removed trial is never placed.</para>
/// <para>
/// The attempt number is the fencing token: a report naming any other attempt, or naming the
/// latest attempt after it ended (lost, failed, cancelled), is refused as
/// <see cref="RefusalKind.StaleAttempt"/>. A repeated Start, Complete or Fail of the same attempt from
/// the same silo (or a repeated Diverge) is accepted as unchanged, so retried requests are idempotent.
/// </para>
/// </remarks>
public static class TrialLifecycle
{
    /// <summary>Places a pending trial on a silo's slots as a new attempt.</summary>
    public static Outcome<TrialChange> Place(TrialSnapshot trial, string siloId, IReadOnlyList<string> slotIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(slotIds);
        if (trial.State != TrialState.Pending)
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; only a pending trial can be placed.");
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
        var attempt = new AttemptSnapshot(number, AttemptState.Placed, siloId, slotIds, now, null, null, null);
        var next = trial with { State = TrialState.Placed, CurrentAttempt = number, Attempt = attempt, PendingReason = null };
        return Accept(next, "attempt.placed", $"attempt {number} placed on silo {siloId} on slot(s) {string.Join(", ", slotIds)}");
    }

    /// <summary>Marks the placed attempt running: its silo started it. A repeat for a running attempt changes nothing.</summary>
    public static Outcome<TrialChange> Start(TrialSnapshot trial, int attempt, string siloId)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (CheckHolder(trial, attempt, siloId) is { } refusal)
        {
            return refusal;
        }

        var live = trial.Attempt!;
        if (live.State == AttemptState.Running)
        {
            return Repeat(trial, "attempt.running", attempt);
        }

        var next = trial with { State = TrialState.Running, Attempt = live with { State = AttemptState.Running } };
        return Accept(next, "attempt.running", $"attempt {attempt} running on silo {siloId}");
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

    /// <summary>
    /// Ends the live attempt as lost because its silo is gone (<paramref name="reason"/> says how); the trial retries
    /// while attempts remain.
    /// </summary>
    public static Outcome<TrialChange> Lose(TrialSnapshot trial, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Attempt is not { IsLive: true } live || trial.State is not (TrialState.Placed or TrialState.Running))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; it has no live attempt to lose.");
        }

        var ended = live with { State = AttemptState.Lost, EndedAt = now, Error = reason };
        return Requeue(trial, ended, "attempt.lost", $"attempt {live.Number} lost: {reason}");
    }

    /// <summary>Cancels a trial that has not finished, and its live attempt if it has one.</summary>
    public static Outcome<TrialChange> Cancel(TrialSnapshot trial, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State is not (TrialState.Pending or TrialState.Placed or TrialState.Running))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; only a pending, placed or running trial can be cancelled.");
        }

        var attempt = trial.Attempt is { IsLive: true } live
            ? live with { State = AttemptState.Cancelled, EndedAt = now }
            : trial.Attempt;
        var next = trial with { State = TrialState.Cancelled, Attempt = attempt, PendingReason = null };
        return Accept(next, "trial.cancelled", $"trial {trial.Id} cancelled while {Name(trial.State)}");
    }

    /// <summary>The sweep's early stopping stopped the trial: final, neither failed nor retried; a live attempt ends with it.</summary>
    public static Outcome<TrialChange> Prune(TrialSnapshot trial, DateTimeOffset now, string reason)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.State is not (TrialState.Pending or TrialState.Placed or TrialState.Running))
        {
            return Refusal.InvalidTransition($"Trial {trial.Id} is {Name(trial.State)}; only a pending, placed or running trial can be pruned.");
        }

        var attempt = trial.Attempt is { IsLive: true } live
            ? live with { State = AttemptState.Pruned, EndedAt = now, Error = reason }
            : trial.Attempt;
        var next = trial with { State = TrialState.Pruned, Attempt = attempt, PendingReason = null, StopReason = reason };
        return Accept(next, "trial.pruned", $"trial {trial.Id} {reason}");
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
