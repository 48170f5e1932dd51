using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class TrialLifecycleTests
{
    private readonly FakeTimeProvider _clock = new(TestData.T0);

    public static TheoryData<TrialState> NotPending => [TrialState.Placed, TrialState.Running, TrialState.Succeeded, TrialState.Failed, TrialState.Cancelled];

    public static TheoryData<TrialState> Final => [TrialState.Succeeded, TrialState.Failed, TrialState.Cancelled];

    public static TheoryData<TrialState> Live => [TrialState.Placed, TrialState.Running];

    [Fact]
    public void Place_moves_a_pending_trial_to_placed_with_attempt_one()
    {
        var next = Apply(TrialLifecycle.Place(TestData.Pending(), "silo-a", ["cpu0"], _clock.GetUtcNow()));

        Assert.Equal(TrialState.Placed, next.State);
        Assert.Equal(1, next.CurrentAttempt);
        Assert.Equal(AttemptState.Placed, next.Attempt!.State);
        Assert.Equal("silo-a", next.Attempt.SiloId);
        Assert.Equal(["cpu0"], next.Attempt.SlotIds);
        Assert.Equal(TestData.T0, next.Attempt.StartedAt);
        Assert.Null(next.PendingReason);
    }

    [Theory]
    [MemberData(nameof(NotPending))]
    public void Place_is_refused_unless_the_trial_is_pending(TrialState state)
    {
        var trial = InState(state);

        var outcome = TrialLifecycle.Place(trial, "silo-b", ["cpu1"], _clock.GetUtcNow());

        Assert.Equal(RefusalKind.InvalidTransition, outcome.Refusal?.Kind);
    }

    [Fact]
    public void Start_moves_a_placed_attempt_to_running_and_a_repeat_changes_nothing()
    {
        var placed = InState(TrialState.Placed);

        var next = Apply(TrialLifecycle.Start(placed, 1, "silo-a"));
        var again = TrialLifecycle.Start(next, 1, "silo-a");

        Assert.Equal(TrialState.Running, next.State);
        Assert.Equal(AttemptState.Running, next.Attempt!.State);
        Assert.Equal(placed.Attempt!.StartedAt, next.Attempt.StartedAt);
        Assert.True(again.IsAccepted);
        Assert.True(again.Value.Unchanged);
        Assert.Same(next, again.Value.Next);
    }

    [Fact]
    public void Start_from_a_silo_that_does_not_hold_the_attempt_is_refused()
    {
        var outcome = TrialLifecycle.Start(InState(TrialState.Placed), 1, "silo-b");

        Assert.Equal(RefusalKind.NotHolder, outcome.Refusal?.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Start_naming_another_attempt_is_refused_as_stale(int attempt)
    {
        var outcome = TrialLifecycle.Start(InState(TrialState.Placed), attempt, "silo-a");

        Assert.Equal(RefusalKind.StaleAttempt, outcome.Refusal?.Kind);
    }

    [Theory]
    [MemberData(nameof(Live))]
    public void Complete_from_a_live_attempt_succeeds_the_trial(TrialState state)
    {
        var next = Apply(TrialLifecycle.Complete(InState(state), 1, "silo-a", _clock.GetUtcNow(), """{"psnr":31.2}"""));

        Assert.Equal(TrialState.Succeeded, next.State);
        Assert.Equal(AttemptState.Succeeded, next.Attempt!.State);
        Assert.Equal(TestData.T0, next.Attempt.EndedAt);
        Assert.Equal("""{"psnr":31.2}""", next.SummaryJson);
    }

    [Fact]
    public void Complete_repeated_by_the_same_attempt_is_accepted_without_a_change()
    {
        var succeeded = InState(TrialState.Succeeded);

        var outcome = TrialLifecycle.Complete(succeeded, 1, "silo-a", _clock.GetUtcNow(), "{}");

        Assert.True(outcome.IsAccepted);
        Assert.True(outcome.Value.Unchanged);
        Assert.Same(succeeded, outcome.Value.Next);
    }

    [Theory]
    [MemberData(nameof(Final))]
    public void Reports_on_a_final_trial_are_refused(TrialState state)
    {
        var trial = InState(state);
        var now = _clock.GetUtcNow();

        Assert.False(TrialLifecycle.Start(trial, 1, "silo-a").IsAccepted);
        Assert.False(TrialLifecycle.Fail(trial, 2, "silo-a", now, "crash").IsAccepted);
        Assert.False(TrialLifecycle.Lose(trial, now, "silo silo-a was declared dead").IsAccepted);
        if (state != TrialState.Succeeded)
        {
            Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.Complete(trial, 1, "silo-a", now, "{}").Refusal?.Kind);
        }
    }

    [Fact]
    public void Failed_attempt_requeues_the_trial_for_the_next_attempt()
    {
        var next = Apply(TrialLifecycle.Fail(InState(TrialState.Running), 1, "silo-a", _clock.GetUtcNow(), "child exited with 139"));

        Assert.Equal(TrialState.Pending, next.State);
        Assert.Equal(1, next.CurrentAttempt);
        Assert.Equal(AttemptState.Failed, next.Attempt!.State);
        Assert.Equal("child exited with 139", next.Attempt.Error);
        Assert.Contains("attempt 2 of 3", next.PendingReason, StringComparison.Ordinal);

        var retried = Apply(TrialLifecycle.Place(next, "silo-b", ["cpu0"], _clock.GetUtcNow()));
        Assert.Equal(2, retried.CurrentAttempt);
        Assert.Equal("silo-b", retried.Attempt!.SiloId);
    }

    [Fact]
    public void Fail_repeated_by_the_same_attempt_is_accepted_without_a_change()
    {
        var failed = Apply(TrialLifecycle.Fail(InState(TrialState.Running), 1, "silo-a", _clock.GetUtcNow(), "oom"));

        var outcome = TrialLifecycle.Fail(failed, 1, "silo-a", _clock.GetUtcNow(), "oom");

        Assert.True(outcome.Value.Unchanged);
    }

    [Fact]
    public void Failing_the_last_allowed_attempt_fails_the_trial()
    {
        var trial = TestData.Pending(maxAttempts: 2);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            trial = Apply(TrialLifecycle.Place(trial, "silo-a", ["cpu0"], _clock.GetUtcNow()));
            trial = Apply(TrialLifecycle.Fail(trial, attempt, "silo-a", _clock.GetUtcNow(), "crash"));
        }

        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Equal(2, trial.CurrentAttempt);
        Assert.Null(trial.PendingReason);
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Place(trial, "silo-a", ["cpu0"], _clock.GetUtcNow()).Refusal?.Kind);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Diverged_attempt_fails_the_trial_at_once_with_the_step_and_the_loss(double value, string shown)
    {
        var running = InState(TrialState.Running);
        Assert.Equal(3, running.MaxAttempts);

        var next = Apply(TrialLifecycle.Diverge(running, 1, "silo-a", _clock.GetUtcNow(), new Divergence(37, "loss.cross", value)));

        Assert.Equal(TrialState.Failed, next.State);
        Assert.Equal(1, next.CurrentAttempt);
        Assert.Null(next.PendingReason);
        Assert.Equal(AttemptState.Failed, next.Attempt!.State);
        Assert.Equal($"diverged at step 37 (loss.cross = {shown})", next.Attempt.Error);
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Place(next, "silo-a", ["cpu0"], _clock.GetUtcNow()).Refusal?.Kind);
    }

    [Fact]
    public void Diverge_repeated_by_the_same_attempt_is_accepted_without_a_change()
    {
        var divergence = new Divergence(5, "loss.total", double.NaN);
        var failed = Apply(TrialLifecycle.Diverge(InState(TrialState.Running), 1, "silo-a", _clock.GetUtcNow(), divergence));

        Assert.True(TrialLifecycle.Diverge(failed, 1, "silo-a", _clock.GetUtcNow(), divergence).Value.Unchanged);
        Assert.Equal(RefusalKind.NotHolder, TrialLifecycle.Diverge(InState(TrialState.Running), 1, "silo-b", _clock.GetUtcNow(), divergence).Refusal?.Kind);
    }

    [Fact]
    public void Lose_is_refused_for_a_pending_trial()
    {
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Lose(TestData.Pending(), _clock.GetUtcNow(), "silo silo-a was declared dead").Refusal?.Kind);
    }

    [Theory]
    [MemberData(nameof(Live))]
    public void Lost_attempt_requeues_trial_with_next_attempt_resuming_from_the_checkpoint(TrialState state)
    {
        var live = InState(state, checkpoint: "ckpt-1");
        _clock.Advance(TimeSpan.FromSeconds(30));

        var lost = Apply(TrialLifecycle.Lose(live, _clock.GetUtcNow(), "silo silo-a was declared dead"));

        Assert.Equal(TrialState.Pending, lost.State);
        Assert.Equal(AttemptState.Lost, lost.Attempt!.State);
        Assert.Equal(_clock.GetUtcNow(), lost.Attempt.EndedAt);
        Assert.Equal("silo silo-a was declared dead", lost.Attempt.Error);
        Assert.Contains("from checkpoint ckpt-1", lost.PendingReason, StringComparison.Ordinal);
        var next = Apply(TrialLifecycle.Place(lost, "silo-b", ["cpu0"], _clock.GetUtcNow()));
        Assert.Equal(2, next.CurrentAttempt);
        Assert.Equal("ckpt-1", next.LastCheckpointArtifactId);
    }

    [Fact]
    public void Lost_attempt_on_the_last_attempt_fails_the_trial()
    {
        var running = InState(TrialState.Running, maxAttempts: 1);

        var next = Apply(TrialLifecycle.Lose(running, _clock.GetUtcNow(), "silo silo-a was declared dead"));

        Assert.Equal(TrialState.Failed, next.State);
        Assert.Equal(AttemptState.Lost, next.Attempt!.State);
    }

    [Fact]
    public void Reports_from_a_lost_attempt_are_refused_as_stale()
    {
        var running = InState(TrialState.Running);
        var lost = Apply(TrialLifecycle.Lose(running, _clock.GetUtcNow(), "silo silo-a was declared dead"));
        var now = _clock.GetUtcNow();

        Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.Start(lost, 1, "silo-a").Refusal?.Kind);
        Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.Complete(lost, 1, "silo-a", now, "{}").Refusal?.Kind);
        Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.CheckHolder(lost, 1, "silo-a")?.Kind);
        var placedAgain = Apply(TrialLifecycle.Place(lost, "silo-b", ["cpu0"], now));
        Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.Fail(placedAgain, 1, "silo-a", now, "late").Refusal?.Kind);
        Assert.Null(TrialLifecycle.CheckHolder(placedAgain, 2, "silo-b"));
    }

    [Theory]
    [InlineData(TrialState.Pending)]
    [InlineData(TrialState.Placed)]
    [InlineData(TrialState.Running)]
    public void Cancel_moves_an_unfinished_trial_to_cancelled(TrialState state)
    {
        var next = Apply(TrialLifecycle.Cancel(InState(state), _clock.GetUtcNow()));

        Assert.Equal(TrialState.Cancelled, next.State);
        if (state != TrialState.Pending)
        {
            Assert.Equal(AttemptState.Cancelled, next.Attempt!.State);
            Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.CheckHolder(next, 1, "silo-a")?.Kind);
        }
    }

    [Theory]
    [MemberData(nameof(Final))]
    public void Cancel_is_refused_for_a_final_trial(TrialState state)
    {
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Cancel(InState(state), _clock.GetUtcNow()).Refusal?.Kind);
    }

    [Theory]
    [InlineData(TrialState.Pending)]
    [InlineData(TrialState.Placed)]
    [InlineData(TrialState.Running)]
    public void Remove_cancels_an_unfinished_trial_and_its_live_attempt_and_it_can_never_be_placed(TrialState state)
    {
        var removed = Apply(TrialLifecycle.Remove(InState(state), 2, _clock.GetUtcNow()));

        Assert.Equal((TrialState.Cancelled, (int?)2, true), (removed.State, removed.RemovedInRevision, removed.CancelledByRemoval));
        if (state != TrialState.Pending)
        {
            Assert.Equal(AttemptState.Cancelled, removed.Attempt!.State);
            Assert.Equal(RefusalKind.StaleAttempt, TrialLifecycle.CheckHolder(removed, 1, "silo-a")?.Kind);
        }

        // Even made pending behind the lifecycle's back, a removed trial is not placed.
        var forced = removed with { State = TrialState.Pending };
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Place(forced, "silo-b", ["cpu0"], _clock.GetUtcNow()).Refusal?.Kind);
    }

    [Theory]
    [MemberData(nameof(Final))]
    public void Remove_keeps_a_final_trial_as_it_is_and_Restore_brings_it_back_unchanged(TrialState state)
    {
        var trial = InState(state);

        var removed = Apply(TrialLifecycle.Remove(trial, 2, _clock.GetUtcNow()));
        var restored = Apply(TrialLifecycle.Restore(removed, 3, "queued"));

        Assert.Equal((state, (int?)2, false), (removed.State, removed.RemovedInRevision, removed.CancelledByRemoval));
        Assert.Equal(trial, restored);
    }

    [Fact]
    public void Restore_makes_a_trial_its_removal_cancelled_pending_again_with_its_checkpoint()
    {
        var removed = Apply(TrialLifecycle.Remove(InState(TrialState.Running, checkpoint: "ckpt-1"), 2, _clock.GetUtcNow()));

        var restored = Apply(TrialLifecycle.Restore(removed, 3, "queued"));

        Assert.Equal((TrialState.Pending, "queued", (int?)null, false, 1, "ckpt-1"),
            (restored.State, restored.PendingReason, restored.RemovedInRevision, restored.CancelledByRemoval, restored.CurrentAttempt, restored.LastCheckpointArtifactId));
        Assert.Equal(2, Apply(TrialLifecycle.Place(restored, "silo-b", ["cpu0"], _clock.GetUtcNow())).CurrentAttempt);
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Restore(restored, 4, "queued").Refusal?.Kind);
        Assert.Equal(RefusalKind.InvalidTransition, TrialLifecycle.Remove(removed, 3, _clock.GetUtcNow()).Refusal?.Kind);
    }

    private static TrialSnapshot Apply(Outcome<TrialChange> outcome)
    {
        Assert.True(outcome.IsAccepted, outcome.ToString());
        return outcome.Value.Next;
    }

    /// <summary>Drives a fresh trial through real transitions into <paramref name="state"/>, attempt 1 on silo-a.</summary>
    private TrialSnapshot InState(TrialState state, int maxAttempts = 3, string? checkpoint = null)
    {
        var now = _clock.GetUtcNow();
        var trial = TestData.Pending(maxAttempts: maxAttempts, checkpoint: checkpoint);
        if (state == TrialState.Pending)
        {
            return trial;
        }

        if (state == TrialState.Cancelled)
        {
            return Apply(TrialLifecycle.Cancel(trial, now));
        }

        trial = Apply(TrialLifecycle.Place(trial, "silo-a", ["cpu0"], now));
        return state switch
        {
            TrialState.Placed => trial,
            TrialState.Running => Apply(TrialLifecycle.Start(trial, 1, "silo-a")),
            TrialState.Succeeded => Apply(TrialLifecycle.Complete(trial, 1, "silo-a", now, "{}")),
            TrialState.Failed => Apply(TrialLifecycle.Fail(trial with { MaxAttempts = 1 }, 1, "silo-a", now, "crash")),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }
}
