using System.Globalization;
using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The trial grain's state machine, pure: each method takes the stored <see cref="TrialGrainState"/> and one event
/// and returns a <see cref="TrialStep"/> (the next state and the decisions to act on, or a refusal). No I/O, no clock,
/// no Orleans runtime, so a trial's whole life can be replayed in a unit test.
/// </summary>
/// <remarks>
/// <para>
/// The transitions are <see cref="TrialLifecycle"/>'s, wrapped: a placement is its Place, "attempt started" its Start,
/// a silo declared dead by membership its Lose of the live attempt there.
/// </para>
/// <para>
/// The attempt number fences every report: a report, start or end naming an attempt other than the live one (or the
/// live one from another silo) is refused and changes nothing. A placement must name the next attempt
/// (current + 1). A report carrying a non-finite loss ends the trial as failed at once, without a retry: the same
/// configuration would diverge again.
/// </para>
/// </remarks>
public static class TrialMachine
{
    /// <summary>
    /// The reason a newly created (or submitted, or requeued) trial waits: the placer's own words for a trial that fits
    /// but finds no free slot, so the scheduler's first look at a fresh queue rewrites no row that already says so.
    /// </summary>
    public const string WaitingForSlot = Placement.TrialPlacer.WaitingForFreeSlot;

    /// <summary>Creates the trial as pending; creating it again with the same sweep changes nothing.</summary>
    public static TrialStep Create(TrialGrainState state, string trialId, TrialDefinition definition, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(trialId);
        ArgumentNullException.ThrowIfNull(definition);
        if (state.IsCreated)
        {
            return string.Equals(state.SweepId, definition.SweepId, StringComparison.Ordinal)
                ? TrialStep.Unchanged(state, $"trial {trialId} already exists")
                : TrialStep.Refused(state, Refusal.Invalid($"Trial {trialId} belongs to sweep {state.SweepId}, not {definition.SweepId}."));
        }

        if (definition.MaxAttempts < 1)
        {
            return TrialStep.Refused(state, Refusal.Invalid($"Trial {trialId} needs at least one attempt, not {definition.MaxAttempts}."));
        }

        var next = new TrialGrainState
        {
            TrialId = trialId,
            SweepId = definition.SweepId,
            Phase = TrialPhase.Pending,
            MaxAttempts = definition.MaxAttempts,
            PendingReason = WaitingForSlot,
            CreatedAt = now,
            Definition = definition,
        };
        return TrialStep.Applied(next, $"trial {trialId} created", new TrialDecision(TrialDecisionKind.Requeue, 1, null, null, WaitingForSlot));
    }

    /// <summary>Places the pending trial on a silo as attempt <see cref="AttemptPlacement.Attempt"/> and asks its runner to start it.</summary>
    public static TrialStep Place(TrialGrainState state, AttemptPlacement placement, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(placement);
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        if (state.Attempt is { } placed && placed.Number == placement.Attempt
            && string.Equals(placed.SiloId, placement.SiloId, StringComparison.Ordinal) && placed.SlotIds.SequenceEqual(placement.SlotIds))
        {
            // The scheduler sends a placement again when the reply to the first is late, and on a busy cluster the attempt
            // may even have ended by then: this placement was taken already (and its start decided). A repeat is accepted
            // and changes nothing, so the scheduler confirms it (or finds it released) instead of distrusting its ledger.
            return TrialStep.Unchanged(state, $"attempt {placement.Attempt} of trial {state.TrialId} was placed on silo {placement.SiloId} already");
        }

        if (placement.Attempt != state.CurrentAttempt + 1)
        {
            return TrialStep.Refused(state, Refusal.StaleAttempt(
                $"Placement of trial {state.TrialId} as attempt {placement.Attempt} is stale; the next attempt is {state.CurrentAttempt + 1}."));
        }

        var place = TrialLifecycle.Place(ToSnapshot(state), placement.SiloId, placement.SlotIds, now);
        if (!place.IsAccepted)
        {
            return TrialStep.Refused(state, place.Refusal);
        }

        var next = FromSnapshot(state, place.Value.Next);
        return TrialStep.Applied(next, place.Value.EventMessage,
            new TrialDecision(TrialDecisionKind.StartAttempt, placement.Attempt, placement.SiloId, state.CheckpointRef,
                state.CheckpointRef is null ? "start from scratch" : $"resume from checkpoint {state.CheckpointRef}"));
    }

    /// <summary>Marks the placed attempt running; a repeat for a running attempt changes nothing.</summary>
    public static TrialStep Start(TrialGrainState state, int attempt, string siloId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (Fence(state, attempt, siloId) is { } refused)
        {
            return refused;
        }

        if (state.Attempt!.Phase == AttemptPhase.Running)
        {
            return TrialStep.Unchanged(state, $"attempt {attempt} already running");
        }

        var started = TrialLifecycle.Start(ToSnapshot(state), attempt, siloId);
        return started.IsAccepted
            ? TrialStep.Applied(FromSnapshot(state, started.Value.Next), started.Value.EventMessage)
            : TrialStep.Refused(state, started.Refusal);
    }

    /// <summary>
    /// Takes a progress report of the live attempt: its step, its checkpoint if it carries one. A non-finite loss
    /// ends the trial as failed ("diverged at step N (loss.X = NaN)").
    /// </summary>
    public static TrialStep Report(TrialGrainState state, AttemptReport report, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(report);
        if (Fence(state, report.Attempt, report.SiloId) is { } refused)
        {
            return refused;
        }

        var live = state.Attempt!;
        if (FirstNonFiniteLoss(report) is { } diverged)
        {
            var reason = string.Create(CultureInfo.InvariantCulture, $"diverged at step {report.Step} ({diverged.Key} = {diverged.Value})");
            var failed = state with
            {
                Phase = TrialPhase.Failed,
                Attempts = state.Attempts.SetItem(state.Attempts.Length - 1, live with { Phase = AttemptPhase.Failed, EndedAt = now, Error = reason }),
                LastStep = Math.Max(state.LastStep, report.Step),
                PendingReason = null,
                FailureReason = reason,
            };
            return TrialStep.Applied(failed, $"attempt {report.Attempt} {reason}; trial {state.TrialId} failed",
                new TrialDecision(TrialDecisionKind.StopAttempt, report.Attempt, report.SiloId, null, reason),
                new TrialDecision(TrialDecisionKind.GiveUp, report.Attempt, report.SiloId, null, reason));
        }

        var next = state with
        {
            Phase = TrialPhase.Running,
            Attempts = live.Phase == AttemptPhase.Running
                ? state.Attempts
                : state.Attempts.SetItem(state.Attempts.Length - 1, live with { Phase = AttemptPhase.Running }),
            LastStep = Math.Max(state.LastStep, report.Step),
            CheckpointRef = report.CheckpointRef ?? state.CheckpointRef,
            CheckpointStep = report.CheckpointRef is null ? state.CheckpointStep : report.Step,
        };
        if (next == state)
        {
            return TrialStep.Unchanged(state, $"attempt {report.Attempt} reported step {report.Step} again");
        }

        var message = report.CheckpointRef is null
            ? $"attempt {report.Attempt} reached step {report.Step}"
            : $"attempt {report.Attempt} wrote checkpoint {report.CheckpointRef} at step {report.Step}";
        return TrialStep.Applied(next, message);
    }

    /// <summary>
    /// Ends the live attempt as its runner says: success finishes the trial; failure requeues it as the next attempt
    /// (from the last checkpoint) while attempts remain, else gives up. A repeated end changes nothing.
    /// </summary>
    public static TrialStep End(TrialGrainState state, AttemptEnd end, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(end);
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        var snapshot = ToSnapshot(state);
        var change = end.Outcome == AttemptOutcome.Succeeded
            ? TrialLifecycle.Complete(snapshot, end.Attempt, end.SiloId, now, end.SummaryJson ?? "{}")
            : TrialLifecycle.Fail(snapshot, end.Attempt, end.SiloId, now, end.Error ?? "the attempt failed without a message");
        return Settle(state, change, end.Attempt, end.SiloId);
    }

    /// <summary>
    /// Membership declared <paramref name="siloId"/> dead: a live attempt there is lost, and the trial is requeued as
    /// the next attempt from its last checkpoint while attempts remain. A trial with nothing live there is unchanged.
    /// </summary>
    public static TrialStep SiloLost(TrialGrainState state, string siloId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        if (state.Attempt is not { IsLive: true } live || !string.Equals(live.SiloId, siloId, StringComparison.Ordinal))
        {
            return TrialStep.Unchanged(state, $"trial {state.TrialId} has no live attempt on silo {siloId}");
        }

        var error = $"silo {siloId} was declared dead";
        var lost = TrialLifecycle.Lose(ToSnapshot(state), now, error);
        if (!lost.IsAccepted)
        {
            return TrialStep.Refused(state, lost.Refusal);
        }

        // The event says what happened to the attempt; the requeue (or the giving up) is the step's decision.
        return Settle(state, Outcome<TrialChange>.Accepted(lost.Value with { EventMessage = $"attempt {live.Number} lost: {error}" }), live.Number, siloId);
    }

    /// <summary>Cancels an unfinished trial and asks the runner to stop its live attempt; a repeat changes nothing.</summary>
    public static TrialStep Cancel(TrialGrainState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        if (state.Phase == TrialPhase.Cancelled)
        {
            return TrialStep.Unchanged(state, $"trial {state.TrialId} already cancelled");
        }

        var cancel = TrialLifecycle.Cancel(ToSnapshot(state), now);
        if (!cancel.IsAccepted)
        {
            return TrialStep.Refused(state, cancel.Refusal);
        }

        var next = FromSnapshot(state, cancel.Value.Next);
        return state.Attempt is { IsLive: true } live
            ? TrialStep.Applied(next, cancel.Value.EventMessage,
                new TrialDecision(TrialDecisionKind.StopAttempt, live.Number, live.SiloId, null, "trial cancelled"))
            : TrialStep.Applied(next, cancel.Value.EventMessage);
    }

    /// <summary>
    /// The sweep's early stopping pruned the trial (<paramref name="reason"/> says why, in words): an unfinished trial
    /// ends as pruned, and a live attempt is stopped (its runner kills the child; the attempt's later reports are
    /// refused, so nothing it writes after the decision is stored). A repeat changes nothing; a finished trial refuses.
    /// </summary>
    public static TrialStep Prune(TrialGrainState state, string reason, int epoch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        if (state.Phase == TrialPhase.Pruned)
        {
            return TrialStep.Unchanged(state, $"trial {state.TrialId} already pruned");
        }

        var pruned = TrialLifecycle.Prune(ToSnapshot(state), now, reason);
        if (!pruned.IsAccepted)
        {
            return TrialStep.Refused(state, pruned.Refusal);
        }

        var next = FromSnapshot(state, pruned.Value.Next) with { PrunedReason = reason, PrunedAtEpoch = epoch, PendingReason = null };
        var live = state.Attempt is { IsLive: true } a ? a : null;
        return live is null
            ? TrialStep.Applied(next, pruned.Value.EventMessage, new TrialDecision(TrialDecisionKind.Prune, state.CurrentAttempt, null, null, reason))
            : TrialStep.Applied(next, pruned.Value.EventMessage,
                new TrialDecision(TrialDecisionKind.StopAttempt, live.Number, live.SiloId, null, reason),
                new TrialDecision(TrialDecisionKind.Prune, live.Number, live.SiloId, null, reason));
    }

    private static TrialStep Settle(TrialGrainState state, Outcome<TrialChange> change, int attempt, string siloId)
    {
        if (!change.IsAccepted)
        {
            return change.Refusal.Kind is RefusalKind.StaleAttempt or RefusalKind.NotHolder
                ? StaleRefusal(state, change.Refusal, attempt, siloId)
                : TrialStep.Refused(state, change.Refusal);
        }

        if (change.Value.Unchanged)
        {
            return TrialStep.Unchanged(state, change.Value.EventMessage);
        }

        var next = FromSnapshot(state, change.Value.Next);
        var ended = next.Attempt!;
        switch (next.Phase)
        {
            case TrialPhase.Succeeded:
                return TrialStep.Applied(next, change.Value.EventMessage,
                    new TrialDecision(TrialDecisionKind.Finish, attempt, siloId, next.CheckpointRef, "trial succeeded"));
            case TrialPhase.Pending:
                return TrialStep.Applied(next, change.Value.EventMessage,
                    new TrialDecision(TrialDecisionKind.Requeue, attempt + 1, null, next.CheckpointRef, next.PendingReason ?? "requeued"));
            default:
                var reason = $"attempt {attempt} {Name(ended.Phase)} ({ended.Error}); all {state.MaxAttempts} attempt(s) used";
                return TrialStep.Applied(next with { FailureReason = reason }, change.Value.EventMessage,
                    new TrialDecision(TrialDecisionKind.GiveUp, attempt, siloId, null, reason));
        }
    }

    /// <summary>Null when <paramref name="attempt"/> is the live attempt held by <paramref name="siloId"/>; else the refusal.</summary>
    private static TrialStep? Fence(TrialGrainState state, int attempt, string siloId)
    {
        if (NotCreated(state) is { } missing)
        {
            return missing;
        }

        return TrialLifecycle.CheckHolder(ToSnapshot(state), attempt, siloId) is { } refusal
            ? StaleRefusal(state, refusal, attempt, siloId)
            : null;
    }

    private static TrialStep StaleRefusal(TrialGrainState state, Refusal refusal, int attempt, string siloId) =>
        TrialStep.Refused(state, refusal, new TrialDecision(TrialDecisionKind.RefuseStale, attempt, siloId, null, refusal.Message));

    private static TrialStep? NotCreated(TrialGrainState state) =>
        state.IsCreated ? null : TrialStep.Refused(state, Refusal.NotFound("The trial has not been created."));

    private static KeyValuePair<string, double>? FirstNonFiniteLoss(AttemptReport report)
    {
        foreach (var metric in report.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (metric.Key.StartsWith("loss", StringComparison.Ordinal) && !double.IsFinite(metric.Value))
            {
                return metric;
            }
        }

        return null;
    }

    private static TrialSnapshot ToSnapshot(TrialGrainState state)
    {
        var attempt = state.Attempt is { } a
            ? new AttemptSnapshot(a.Number, ToLifecycle(a.Phase), a.SiloId, a.SlotIds, a.PlacedAt, a.EndedAt, a.Error, null)
            : null;
        return new TrialSnapshot(state.TrialId, state.SweepId, ToLifecycle(state.Phase), state.CurrentAttempt, state.MaxAttempts, 0, 0,
            state.CreatedAt, ResourceRequest.Cpu, attempt, state.PendingReason, state.SummaryJson, state.CheckpointRef);
    }

    private static TrialGrainState FromSnapshot(TrialGrainState state, TrialSnapshot next)
    {
        var attempts = state.Attempts;
        if (next.Attempt is { } a)
        {
            var previous = state.Attempt is { } p && p.Number == a.Number ? p : null;
            var record = new AttemptRecord
            {
                Number = a.Number,
                Phase = FromLifecycle(a.State),
                SiloId = a.SiloId,
                SlotIds = [.. a.SlotIds],
                PlacedAt = a.StartedAt,
                EndedAt = a.EndedAt,
                Error = a.Error,
                ResumedFrom = previous is null ? state.CheckpointRef : previous.ResumedFrom,
            };
            attempts = previous is null ? attempts.Add(record) : attempts.SetItem(attempts.Length - 1, record);
        }

        return state with
        {
            Phase = FromLifecycle(next.State),
            CurrentAttempt = next.CurrentAttempt,
            Attempts = attempts,
            PendingReason = next.PendingReason,
            SummaryJson = next.SummaryJson,
        };
    }

    internal static TrialState ToLifecycle(TrialPhase phase) => phase switch
    {
        TrialPhase.Pending => TrialState.Pending,
        TrialPhase.Placed => TrialState.Placed,
        TrialPhase.Running => TrialState.Running,
        TrialPhase.Succeeded => TrialState.Succeeded,
        TrialPhase.Failed => TrialState.Failed,
        TrialPhase.Cancelled => TrialState.Cancelled,
        TrialPhase.Pruned => TrialState.Pruned,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown trial phase."),
    };

    private static TrialPhase FromLifecycle(TrialState state) => state switch
    {
        TrialState.Pending => TrialPhase.Pending,
        TrialState.Placed => TrialPhase.Placed,
        TrialState.Running => TrialPhase.Running,
        TrialState.Succeeded => TrialPhase.Succeeded,
        TrialState.Failed => TrialPhase.Failed,
        TrialState.Cancelled => TrialPhase.Cancelled,
        TrialState.Pruned => TrialPhase.Pruned,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown trial state."),
    };

    internal static AttemptState ToLifecycle(AttemptPhase phase) => phase switch
    {
        AttemptPhase.Placed => AttemptState.Placed,
        AttemptPhase.Running => AttemptState.Running,
        AttemptPhase.Succeeded => AttemptState.Succeeded,
        AttemptPhase.Failed => AttemptState.Failed,
        AttemptPhase.Lost => AttemptState.Lost,
        AttemptPhase.Cancelled => AttemptState.Cancelled,
        AttemptPhase.Pruned => AttemptState.Pruned,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, "Unknown attempt phase."),
    };

    private static AttemptPhase FromLifecycle(AttemptState state) => state switch
    {
        AttemptState.Placed => AttemptPhase.Placed,
        AttemptState.Running => AttemptPhase.Running,
        AttemptState.Succeeded => AttemptPhase.Succeeded,
        AttemptState.Failed => AttemptPhase.Failed,
        AttemptState.Lost => AttemptPhase.Lost,
        AttemptState.Cancelled => AttemptPhase.Cancelled,
        AttemptState.Pruned => AttemptPhase.Pruned,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown attempt state."),
    };

    private static string Name(AttemptPhase phase) => phase.ToString().ToLowerInvariant();
}
