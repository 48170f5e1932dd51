using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Revisions;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>The revision rule on hand-made stored state: what a submission writes, without a store.</summary>
[Trait("Category", "Unit")]
public sealed class SweepRevisionsTests
{
    private static readonly DateTimeOffset Now = TestData.T0.AddHours(1);

    [Fact]
    public void A_new_sweep_is_revision_1_with_every_trial_pending()
    {
        NewTrial[] trials = [TestData.Trial("a"), TestData.Trial("b", order: 1)];

        var plan = SweepRevisions.Plan(null, [], TestData.Sweep(), trials, Now, "queued");

        Assert.Equal((TestData.Sweep(), 1, "sweep.submitted"), (plan.Sweep, plan.Revision, plan.EventKind));
        Assert.Equal(trials, plan.NewTrials);
        Assert.Empty(plan.Redefined);
        Assert.Empty(plan.Changes);
        Assert.Equal("revision 1: 2 trials added", plan.Result.Describe());
    }

    [Fact]
    public void The_same_definition_again_writes_nothing_but_its_event()
    {
        var stored = Stored(2, Record(TestData.Trial("a"), TrialState.Succeeded), Record(TestData.Trial("b", order: 1), TrialState.Running));

        var plan = SweepRevisions.Plan(stored.Sweep, stored.Trials, TestData.Sweep(), [TestData.Trial("a"), TestData.Trial("b", order: 1)], Now, "queued");

        Assert.Null(plan.Sweep);
        Assert.Equal(2, plan.Revision);
        Assert.Empty(plan.NewTrials);
        Assert.Empty(plan.Redefined);
        Assert.Empty(plan.Changes);
        Assert.Equal("revision 2, unchanged: 2 trials kept (resuming)", plan.Result.Describe());
    }

    [Fact]
    public void A_removed_trial_is_not_part_of_the_definition_compared()
    {
        // Revision 2 dropped b; submitting revision 2's file again is no change.
        var stored = Stored(2, Record(TestData.Trial("a"), TrialState.Pending), Record(TestData.Trial("b", order: 1), TrialState.Cancelled, removedIn: 2));

        var plan = SweepRevisions.Plan(stored.Sweep, stored.Trials, TestData.Sweep(), [TestData.Trial("a")], Now, "queued");

        Assert.Equal((2, (int?)null, 1), (plan.Result.Revision, plan.Result.PreviousRevision, plan.Result.TrialsKept));
        Assert.Null(plan.Sweep);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void A_revision_cancels_removed_unfinished_trials_keeps_finished_ones_and_redefines_changed_kept_ones()
    {
        var stored = Stored(1,
            Record(TestData.Trial("done"), TrialState.Succeeded),
            Record(TestData.Trial("running", order: 1), TrialState.Running),
            Record(TestData.Trial("finished-elsewhere", order: 2), TrialState.Failed),
            Record(TestData.Trial("kept", order: 3), TrialState.Pending));
        NewTrial[] next = [TestData.Trial("done"), TestData.Trial("kept", order: 3) with { Expect = "new words" }, TestData.Trial("new", order: 4)];

        var plan = SweepRevisions.Plan(stored.Sweep, stored.Trials, TestData.Sweep(), next, Now, "queued");

        Assert.Equal((2, "sweep.revised"), (plan.Revision, plan.EventKind));
        Assert.Equal(["new"], plan.NewTrials.Select(t => t.Id));
        Assert.Equal(["kept"], plan.Redefined.Select(t => t.Id));
        var byId = plan.Changes.ToDictionary(c => c.Next.Id);
        Assert.Equal(["finished-elsewhere", "running"], byId.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((TrialState.Cancelled, AttemptState.Cancelled, Now, true, (int?)2),
            (byId["running"].Next.State, byId["running"].Next.Attempt!.State, byId["running"].Next.Attempt!.EndedAt!.Value, byId["running"].Next.CancelledByRemoval,
                byId["running"].Next.RemovedInRevision));
        Assert.Equal((TrialState.Failed, false, (int?)2),
            (byId["finished-elsewhere"].Next.State, byId["finished-elsewhere"].Next.CancelledByRemoval, byId["finished-elsewhere"].Next.RemovedInRevision));
        Assert.Equal("revision 2 (was 1): 1 trial added, 2 removed (1 cancelled), 2 kept; changed: expectation of 1 trial", plan.Result.Describe());
    }

    [Fact]
    public void A_trial_whose_removal_cancelled_its_last_attempt_stays_cancelled_until_a_revision_allows_more_attempts()
    {
        var interrupted = Record(TestData.Trial("t", maxAttempts: 1), TrialState.Cancelled, removedIn: 2, currentAttempt: 1, cancelledByRemoval: true);
        var stored = Stored(2, interrupted);

        var listed = SweepRevisions.Plan(stored.Sweep, stored.Trials, TestData.Sweep(), [TestData.Trial("t", maxAttempts: 1)], Now, "queued");
        var still = Assert.Single(listed.Changes).Next;
        Assert.Equal((TrialState.Cancelled, (int?)null, true), (still.State, still.RemovedInRevision, still.CancelledByRemoval));

        var waiting = Stored(3, interrupted with { Snapshot = still });
        var allowed = SweepRevisions.Plan(waiting.Sweep, waiting.Trials, TestData.Sweep(), [TestData.Trial("t", maxAttempts: 2)], Now, "queued");

        var pending = Assert.Single(allowed.Changes).Next;
        Assert.Equal((TrialState.Pending, "queued", false, 2), (pending.State, pending.PendingReason, pending.CancelledByRemoval, pending.MaxAttempts));
        Assert.Equal(2, Assert.Single(allowed.Redefined).MaxAttempts);
        Assert.True(TrialLifecycle.Place(pending, "silo", ["cpu0"], Now).IsAccepted);
    }

    private static (SweepRecord Sweep, IReadOnlyList<TrialRecord> Trials) Stored(int revision, params TrialRecord[] trials) =>
        (new SweepRecord(TestData.Sweep(), TestData.T0, null, new Dictionary<TrialState, int>(), revision), trials);

    private static TrialRecord Record(NewTrial trial, TrialState state, int? removedIn = null, int currentAttempt = 0, bool cancelledByRemoval = false)
    {
        var attempt = state is TrialState.Placed or TrialState.Running
            ? new AttemptSnapshot(1, state == TrialState.Placed ? AttemptState.Placed : AttemptState.Running, "silo", ["cpu0"], TestData.T0, null, null, null)
            : null;
        var snapshot = new TrialSnapshot(trial.Id, "sweep-1", state, attempt?.Number ?? currentAttempt, trial.MaxAttempts, trial.Priority, trial.OrderIndex, TestData.T0,
            trial.Resources, attempt, state == TrialState.Pending ? "queued" : null, state == TrialState.Succeeded ? "{}" : null, null)
        {
            RemovedInRevision = removedIn,
            CancelledByRemoval = cancelledByRemoval,
        };
        return new TrialRecord(trial, snapshot);
    }
}
