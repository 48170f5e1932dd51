using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class TrialMachineTests
{
    private const string TrialId = "trial-1";
    private static readonly DateTimeOffset T0 = TestData.T0;

    [Fact]
    public void Create_makes_a_pending_trial_and_asks_for_a_placement_of_attempt_one()
    {
        var step = TrialMachine.Create(new TrialGrainState(), TrialId, Definition(3), T0);

        Assert.True(step.Changed);
        Assert.Equal(TrialPhase.Pending, step.Next.Phase);
        Assert.Equal(0, step.Next.CurrentAttempt);
        Assert.Equal(TrialMachine.WaitingForSlot, step.Next.PendingReason);
        var decision = Assert.Single(step.Decisions);
        Assert.Equal((TrialDecisionKind.Requeue, 1), (decision.Kind, decision.Attempt));
    }

    [Fact]
    public void Placement_starts_the_next_attempt_on_its_silo()
    {
        var step = TrialMachine.Place(Created(), Placement("silo-a", 1), T0);

        Assert.True(step.Changed);
        Assert.Equal(TrialPhase.Placed, step.Next.Phase);
        Assert.Equal(1, step.Next.CurrentAttempt);
        var attempt = Assert.Single(step.Next.Attempts);
        Assert.Equal((1, AttemptPhase.Placed, "silo-a"), (attempt.Number, attempt.Phase, attempt.SiloId));
        Assert.Equal(new TrialDecision(TrialDecisionKind.StartAttempt, 1, "silo-a", null, "start from scratch"), Assert.Single(step.Decisions));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Placement_naming_another_attempt_than_the_next_is_refused(int attempt)
    {
        var state = Created();

        var step = TrialMachine.Place(state, Placement("silo-a", attempt), T0);

        Assert.Equal(RefusalKind.StaleAttempt, step.Refusal?.Kind);
        Assert.Same(state, step.Next);
        Assert.False(step.Changed);
    }

    [Fact]
    public void Placement_sent_again_for_the_attempt_already_placed_is_accepted_unchanged_and_another_one_is_refused()
    {
        var placed = Placed();

        var again = TrialMachine.Place(placed, Placement("silo-a", 1), T0);
        var running = Accept(TrialMachine.Start(placed, 1, "silo-a", T0));
        var againWhileRunning = TrialMachine.Place(running, Placement("silo-a", 1), T0);

        Assert.True(again.IsAccepted, again.Message);
        Assert.Equal((false, 0), (again.Changed, again.Decisions.Count));
        Assert.Same(placed, again.Next);
        Assert.True(againWhileRunning.IsAccepted, againWhileRunning.Message);
        Assert.False(againWhileRunning.Changed);
        // The same attempt number on another silo or other slots is not a repeat.
        Assert.Equal(RefusalKind.StaleAttempt, TrialMachine.Place(placed, Placement("silo-b", 1), T0).Refusal?.Kind);
        Assert.Equal(RefusalKind.StaleAttempt, TrialMachine.Place(placed, Placement("silo-a", 1) with { SlotIds = ["cpu1"] }, T0).Refusal?.Kind);
    }

    [Fact]
    public void Start_marks_the_attempt_running_and_a_repeat_changes_nothing()
    {
        var started = Accept(TrialMachine.Start(Placed(), 1, "silo-a", T0));

        Assert.Equal(TrialPhase.Running, started.Phase);
        Assert.Equal(AttemptPhase.Running, started.Attempt!.Phase);
        var repeat = TrialMachine.Start(started, 1, "silo-a", T0);
        Assert.True(repeat.IsAccepted);
        Assert.False(repeat.Changed);
    }

    [Fact]
    public void Report_of_the_live_attempt_records_its_step_and_checkpoint()
    {
        var next = Accept(TrialMachine.Report(Running(), Report(1, "silo-a", 200, "ckpt-200"), T0));

        Assert.Equal(200, next.LastStep);
        Assert.Equal("ckpt-200", next.CheckpointRef);
        Assert.Equal(200, next.CheckpointStep);
    }

    [Fact]
    public void Report_of_a_stale_attempt_is_refused_and_changes_nothing()
    {
        // Attempt 1 was lost with its silo; attempt 2 now runs elsewhere and attempt 1's process still reports.
        var state = Accept(TrialMachine.Report(Running(), Report(1, "silo-a", 100, "ckpt-100"), T0));
        state = Accept(TrialMachine.SiloLost(state, "silo-a", T0));
        state = Accept(TrialMachine.Place(state, Placement("silo-b", 2), T0));

        var step = TrialMachine.Report(state, Report(1, "silo-a", 300, "ckpt-300-stale"), T0);

        Assert.Equal(RefusalKind.StaleAttempt, step.Refusal?.Kind);
        Assert.False(step.Changed);
        Assert.Same(state, step.Next);
        Assert.Equal("ckpt-100", step.Next.CheckpointRef);
        Assert.Equal(100, step.Next.LastStep);
        Assert.Equal(TrialDecisionKind.RefuseStale, Assert.Single(step.Decisions).Kind);
    }

    [Fact]
    public void Report_from_a_silo_that_does_not_hold_the_attempt_is_refused()
    {
        var state = Running();

        var step = TrialMachine.Report(state, Report(1, "silo-b", 50, "ckpt-50"), T0);

        Assert.Equal(RefusalKind.NotHolder, step.Refusal?.Kind);
        Assert.Same(state, step.Next);
    }

    [Fact]
    public void End_of_a_stale_attempt_is_refused_and_changes_nothing()
    {
        var state = Accept(TrialMachine.SiloLost(Running(), "silo-a", T0));

        var step = TrialMachine.End(state, new AttemptEnd { Attempt = 1, SiloId = "silo-a", Outcome = AttemptOutcome.Succeeded, SummaryJson = "{}" }, T0);

        Assert.Equal(RefusalKind.StaleAttempt, step.Refusal?.Kind);
        Assert.Same(state, step.Next);
        Assert.Equal(TrialDecisionKind.RefuseStale, Assert.Single(step.Decisions).Kind);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Non_finite_loss_fails_the_trial_as_diverged_without_a_retry(double loss, string shown)
    {
        var report = Report(1, "silo-a", 120, null) with
        {
            Metrics = new Dictionary<string, double> { ["loss.recon"] = loss, ["psnr.val"] = 21.5 }.ToImmutableDictionary(),
        };

        var step = TrialMachine.Report(Running(maxAttempts: 3), report, T0);

        Assert.True(step.Changed);
        Assert.Equal(TrialPhase.Failed, step.Next.Phase);
        Assert.Equal($"diverged at step 120 (loss.recon = {shown})", step.Next.FailureReason);
        Assert.Equal(AttemptPhase.Failed, step.Next.Attempt!.Phase);
        Assert.Equal([TrialDecisionKind.StopAttempt, TrialDecisionKind.GiveUp], step.Decisions.Select(d => d.Kind));
    }

    [Fact]
    public void Non_finite_metric_that_is_not_a_loss_does_not_fail_the_trial()
    {
        var report = Report(1, "silo-a", 120, null) with
        {
            Metrics = new Dictionary<string, double> { ["loss.recon"] = 0.01, ["psnr.val"] = double.NaN }.ToImmutableDictionary(),
        };

        var next = Accept(TrialMachine.Report(Running(), report, T0));

        Assert.Equal(TrialPhase.Running, next.Phase);
    }

    [Fact]
    public void Silo_lost_requeues_the_trial_as_the_next_attempt_from_the_last_checkpoint()
    {
        var state = Accept(TrialMachine.Report(Running(maxAttempts: 3), Report(1, "silo-a", 400, "ckpt-400"), T0));

        var step = TrialMachine.SiloLost(state, "silo-a", T0);

        Assert.True(step.Changed);
        Assert.Equal(TrialPhase.Pending, step.Next.Phase);
        Assert.Equal(AttemptPhase.Lost, step.Next.Attempt!.Phase);
        Assert.Equal("silo silo-a was declared dead", step.Next.Attempt.Error);
        Assert.Contains("attempt 2 of 3 will resume from checkpoint ckpt-400", step.Next.PendingReason, StringComparison.Ordinal);
        var requeue = Assert.Single(step.Decisions);
        Assert.Equal((TrialDecisionKind.Requeue, 2, "ckpt-400"), (requeue.Kind, requeue.Attempt, requeue.CheckpointRef));

        var placed = Accept(TrialMachine.Place(step.Next, Placement("silo-b", 2), T0));
        Assert.Equal("ckpt-400", placed.Attempt!.ResumedFrom);
        Assert.Equal(2, placed.Attempts.Length);
    }

    [Fact]
    public void Silo_lost_elsewhere_changes_nothing()
    {
        var state = Running();

        var step = TrialMachine.SiloLost(state, "silo-z", T0);

        Assert.True(step.IsAccepted);
        Assert.False(step.Changed);
        Assert.Empty(step.Decisions);
    }

    [Fact]
    public void Failed_attempts_requeue_until_max_attempts_then_give_up()
    {
        var state = Running(maxAttempts: 2);
        state = Accept(TrialMachine.End(state, Failure(1, "silo-a"), T0));
        Assert.Equal(TrialPhase.Pending, state.Phase);
        state = Accept(TrialMachine.Place(state, Placement("silo-b", 2), T0));

        var step = TrialMachine.End(state, Failure(2, "silo-b"), T0);

        Assert.Equal(TrialPhase.Failed, step.Next.Phase);
        Assert.Equal(TrialDecisionKind.GiveUp, Assert.Single(step.Decisions).Kind);
        Assert.Contains("all 2 attempt(s) used", step.Next.FailureReason, StringComparison.Ordinal);
        Assert.Equal(RefusalKind.InvalidTransition, TrialMachine.Place(step.Next, Placement("silo-c", 3), T0).Refusal?.Kind);
    }

    [Fact]
    public void Silo_lost_on_the_last_attempt_gives_up()
    {
        var step = TrialMachine.SiloLost(Running(maxAttempts: 1), "silo-a", T0);

        Assert.Equal(TrialPhase.Failed, step.Next.Phase);
        Assert.Equal(TrialDecisionKind.GiveUp, Assert.Single(step.Decisions).Kind);
    }

    [Fact]
    public void Success_finishes_the_trial_and_a_repeated_end_changes_nothing()
    {
        var end = new AttemptEnd { Attempt = 1, SiloId = "silo-a", Outcome = AttemptOutcome.Succeeded, SummaryJson = "{\"psnr\":30}" };

        var step = TrialMachine.End(Running(), end, T0);

        Assert.Equal(TrialPhase.Succeeded, step.Next.Phase);
        Assert.Equal("{\"psnr\":30}", step.Next.SummaryJson);
        Assert.Equal(TrialDecisionKind.Finish, Assert.Single(step.Decisions).Kind);
        var repeat = TrialMachine.End(step.Next, end, T0);
        Assert.True(repeat.IsAccepted);
        Assert.False(repeat.Changed);
    }

    [Fact]
    public void Cancel_stops_the_live_attempt()
    {
        var step = TrialMachine.Cancel(Running(), T0);

        Assert.Equal(TrialPhase.Cancelled, step.Next.Phase);
        Assert.Equal(AttemptPhase.Cancelled, step.Next.Attempt!.Phase);
        var stop = Assert.Single(step.Decisions);
        Assert.Equal((TrialDecisionKind.StopAttempt, 1, "silo-a"), (stop.Kind, stop.Attempt, stop.SiloId));
    }

    private static TrialDefinition Definition(int maxAttempts) => new() { SweepId = "sweep-1", MaxAttempts = maxAttempts };

    private static AttemptPlacement Placement(string silo, int attempt) => new() { SiloId = silo, Attempt = attempt, SlotIds = ["cpu0"] };

    private static AttemptEnd Failure(int attempt, string silo) => new() { Attempt = attempt, SiloId = silo, Outcome = AttemptOutcome.Failed, Error = "exit code 1" };

    private static TrialGrainState Created(int maxAttempts = 3) => Accept(TrialMachine.Create(new TrialGrainState(), TrialId, Definition(maxAttempts), T0));

    private static TrialGrainState Placed(int maxAttempts = 3) => Accept(TrialMachine.Place(Created(maxAttempts), Placement("silo-a", 1), T0));

    private static TrialGrainState Running(int maxAttempts = 3) => Accept(TrialMachine.Start(Placed(maxAttempts), 1, "silo-a", T0));

    private static TrialGrainState Accept(TrialStep step)
    {
        Assert.True(step.IsAccepted, step.Message);
        return step.Next;
    }

    [Fact]
    public void Prune_ends_a_running_trial_as_pruned_and_stops_its_attempt_and_a_repeat_changes_nothing()
    {
        var step = TrialMachine.Prune(Running(), "pruned at epoch 3: x", 3, T0);

        Assert.True(step.Changed);
        Assert.Equal((TrialPhase.Pruned, "pruned at epoch 3: x", 3), (step.Next.Phase, step.Next.PrunedReason, step.Next.PrunedAtEpoch));
        Assert.Equal(AttemptPhase.Pruned, step.Next.Attempt!.Phase);
        Assert.True(step.Next.IsFinal);
        Assert.Equal(
            [(TrialDecisionKind.StopAttempt, 1, "silo-a"), (TrialDecisionKind.Prune, 1, "silo-a")],
            step.Decisions.Select(d => (d.Kind, d.Attempt, d.SiloId)));

        var again = TrialMachine.Prune(step.Next, "pruned again", 4, T0);
        Assert.False(again.Changed);
        Assert.Empty(again.Decisions);

        // The stopped attempt's later reports are refused: nothing it writes after the decision is stored.
        Assert.Equal(RefusalKind.StaleAttempt, TrialMachine.Report(step.Next, Report(1, "silo-a", 400, null), T0).Refusal?.Kind);
    }

    [Fact]
    public void Prune_of_a_pending_trial_takes_it_out_of_the_queue_and_a_finished_trial_refuses()
    {
        var pending = TrialMachine.Prune(Created(), "pruned at epoch 1: y", 1, T0);
        Assert.Equal(TrialPhase.Pruned, pending.Next.Phase);
        Assert.Null(pending.Next.PendingReason);
        var decision = Assert.Single(pending.Decisions);
        Assert.Equal((TrialDecisionKind.Prune, null), (decision.Kind, decision.SiloId));

        var succeeded = Accept(TrialMachine.End(Running(), new AttemptEnd { Attempt = 1, SiloId = "silo-a", Outcome = AttemptOutcome.Succeeded, SummaryJson = "{}" }, T0));
        Assert.Equal(RefusalKind.InvalidTransition, TrialMachine.Prune(succeeded, "too late", 4, T0).Refusal?.Kind);
    }
}
