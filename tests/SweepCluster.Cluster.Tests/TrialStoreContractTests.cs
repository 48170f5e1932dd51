using System.Security.Cryptography;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The behaviour every <see cref="ITrialStore"/> must have. Each store implementation subclasses
/// this suite and says how to open a store on a fresh database of its own.
/// </summary>
public abstract class TrialStoreContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly List<ITrialStore> _opened = [];

    protected FakeTimeProvider Clock { get; } = new(TestData.T0);

    protected ITrialStore Store { get; private set; } = null!;

    /// <summary>Opens a store on this test's database; called again to reopen it or to open a second instance.</summary>
    protected abstract Task<ITrialStore> OpenStoreAsync(TimeProvider time);

    /// <summary>Removes this test's database once every store on it is disposed.</summary>
    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DeleteDatabaseAsync();
    }

    [Fact]
    public async Task Migrations_apply_once_and_are_recorded()
    {
        var first = await Store.GetAppliedMigrationsAsync(None);
        Clock.Advance(TimeSpan.FromHours(1));
        await CloseAsync(Store);

        var reopened = await OpenAsync();
        var second = await reopened.GetAppliedMigrationsAsync(None);

        var initial = Assert.Single(first, m => m.Version == 1);
        Assert.Equal("initial", initial.Name);
        Assert.Equal("sweep_revisions", Assert.Single(first, m => m.Version == 2).Name);
        Assert.Equal(TestData.T0, initial.AppliedAt);
        Assert.Equal(first.Select(m => (m.Version, m.AppliedAt)), second.Select(m => (m.Version, m.AppliedAt)));
        Assert.Equal(first.Select(m => m.Version).Order(), first.Select(m => m.Version));
    }

    [Fact]
    public async Task Submitting_the_same_definition_again_changes_nothing()
    {
        var first = await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2", order: 1)], "queued", None);
        await LeaseAsync("t1", "silo-a");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.SubmitSweepAsync(TestData.Sweep() with { CreatedAt = Clock.GetUtcNow() },
            [TestData.Trial("t1"), TestData.Trial("t2", order: 1)], "queued again", Clock.GetUtcNow(), None);

        Assert.Equal((true, 1, 2), (first.SweepAdded, first.Revision, first.TrialsAdded));
        Assert.Equal((false, 1, (int?)null, 0, 0, 2), (again.SweepAdded, again.Revision, again.PreviousRevision, again.TrialsAdded, again.TrialsRemoved, again.TrialsKept));
        var trials = await Store.ListTrialsAsync("sweep-1", None);
        Assert.Equal(["t1", "t2"], trials.Select(t => t.Snapshot.Id));
        Assert.Equal(TrialState.Leased, trials[0].Snapshot.State);
        Assert.Equal("queued", trials[1].Snapshot.PendingReason);
        Assert.All(trials, t => Assert.Null(t.Snapshot.RemovedInRevision));
        var sweep = (await Store.GetSweepAsync("sweep-1", None))!;
        Assert.Equal(1, sweep.Revision);
        Assert.Equal(TestData.T0, sweep.Sweep.CreatedAt);
        Assert.Equal(["sweep.submitted", "sweep.submitted"], (await Store.ListEventsAsync(new EventQuery(SweepId: "sweep-1"), None)).Where(e => e.TrialId is null).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_different_definition_becomes_the_next_revision_that_keeps_adds_and_removes_trials()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [.. new[] { "done", "running", "waiting", "kept", "old-done" }.Select((id, i) => TestData.Trial(id, order: i))], "queued", None);
        await LeaseAsync("done", "silo-a");
        await Store.UpdateTrialAsync("done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":30}"""), None);
        await LeaseAsync("old-done", "silo-a");
        await Store.UpdateTrialAsync("old-done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":20}"""), None);
        await LeaseAsync("running", "silo-a");
        await Store.UpdateTrialAsync("running", t => TrialLifecycle.Heartbeat(t, 1, "silo-a", Clock.GetUtcNow(), Ttl, null), None);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var edited = TestData.Sweep() with { Question = "Does the new question hold?", SweepText = "name: skip-ablation\n# edited\n" };

        var revised = await Store.SubmitSweepAsync(edited,
            [TestData.Trial("done", order: 0) with { Expect = "still no leakage" }, TestData.Trial("kept", order: 1), TestData.Trial("new", order: 2)],
            "queued again", Clock.GetUtcNow(), None);

        Assert.Equal((false, 2, (int?)1), (revised.SweepAdded, revised.Revision, revised.PreviousRevision));
        Assert.Equal((1, 3, 2, 2), (revised.TrialsAdded, revised.TrialsRemoved, revised.TrialsCancelled, revised.TrialsKept));
        Assert.Equal(["question", "sweep text", "expectation of 1 trial", "order of 1 trial"], revised.Changes);
        var sweep = (await Store.GetSweepAsync("sweep-1", None))!;
        Assert.Equal(2, sweep.Revision);
        Assert.Equal(edited.Question, sweep.Sweep.Question);
        Assert.Equal(edited.SweepText, sweep.Sweep.SweepText);
        Assert.Equal(new Dictionary<TrialState, int> { [TrialState.Succeeded] = 1, [TrialState.Pending] = 2 }, sweep.TrialCounts);

        var trials = (await Store.ListTrialsAsync("sweep-1", None)).ToDictionary(t => t.Snapshot.Id);
        Assert.Equal(6, trials.Count);
        Assert.Equal((TrialState.Succeeded, """{"psnr":30}""", "still no leakage", (int?)null),
            (trials["done"].Snapshot.State, trials["done"].Snapshot.SummaryJson, trials["done"].Definition.Expect, trials["done"].Snapshot.RemovedInRevision));
        Assert.Equal((TrialState.Pending, "queued", 1), (trials["kept"].Snapshot.State, trials["kept"].Snapshot.PendingReason, trials["kept"].Definition.OrderIndex));
        Assert.Equal((TrialState.Pending, "queued again", (int?)null), (trials["new"].Snapshot.State, trials["new"].Snapshot.PendingReason, trials["new"].Snapshot.RemovedInRevision));
        foreach (var removed in new[] { "running", "waiting" })
        {
            Assert.Equal((TrialState.Cancelled, (int?)2, true), (trials[removed].Snapshot.State, trials[removed].Snapshot.RemovedInRevision, trials[removed].Snapshot.CancelledByRemoval));
        }

        Assert.Equal((AttemptState.Cancelled, Clock.GetUtcNow()), (trials["running"].Snapshot.Attempt!.State, trials["running"].Snapshot.Attempt!.EndedAt!.Value));
        Assert.Equal((TrialState.Succeeded, """{"psnr":20}""", (int?)2, false),
            (trials["old-done"].Snapshot.State, trials["old-done"].Snapshot.SummaryJson, trials["old-done"].Snapshot.RemovedInRevision, trials["old-done"].Snapshot.CancelledByRemoval));

        IReadOnlyList<string>? offered = null;
        await Store.ClaimAsync(10, pending =>
        {
            offered = [.. pending.Select(t => t.Id)];
            return new ClaimPlan([], new Dictionary<string, string>());
        }, None);
        Assert.Equal(["kept", "new"], offered);

        var events = await Store.ListEventsAsync(new EventQuery(SweepId: "sweep-1"), None);
        Assert.Equal($"sweep skip-ablation: {revised.Describe()}", Assert.Single(events, e => e.Kind == "sweep.revised").Message);
        Assert.Equal(["old-done", "running", "waiting"], events.Where(e => e.Kind == "trial.removed").Select(e => e.TrialId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_removed_trial_listed_again_comes_back_with_its_result_or_pending_again()
    {
        NewTrial[] all = [TestData.Trial("finished", order: 0), TestData.Trial("interrupted", order: 1), TestData.Trial("stays", order: 2)];
        await Store.SubmitSweepAsync(TestData.Sweep(), all, "queued", None);
        await LeaseAsync("finished", "silo-a");
        await Store.UpdateTrialAsync("finished", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":30}"""), None);
        await LeaseAsync("interrupted", "silo-a");
        await Store.SubmitSweepAsync(TestData.Sweep(), [all[2]], "queued", Clock.GetUtcNow(), None);

        var back = await Store.SubmitSweepAsync(TestData.Sweep(), all, "listed again", Clock.GetUtcNow(), None);

        Assert.Equal((3, (int?)2, 2, 0, 1), (back.Revision, back.PreviousRevision, back.TrialsAdded, back.TrialsRemoved, back.TrialsKept));
        var finished = (await Store.GetTrialAsync("finished", None))!.Snapshot;
        Assert.Equal((TrialState.Succeeded, """{"psnr":30}""", (int?)null), (finished.State, finished.SummaryJson, finished.RemovedInRevision));
        var interrupted = (await Store.GetTrialAsync("interrupted", None))!.Snapshot;
        Assert.Equal((TrialState.Pending, "listed again", (int?)null, false, 1),
            (interrupted.State, interrupted.PendingReason, interrupted.RemovedInRevision, interrupted.CancelledByRemoval, interrupted.CurrentAttempt));
        await LeaseAsync("interrupted", "silo-b");
        Assert.Equal([AttemptState.Cancelled, AttemptState.Leased], (await Store.ListAttemptsAsync("interrupted", None)).Select(a => a.State));
        var sweep = (await Store.GetSweepAsync("sweep-1", None))!;
        Assert.Equal((3, 1, 1, 1), (sweep.Revision, sweep.TrialCounts[TrialState.Succeeded], sweep.TrialCounts[TrialState.Leased], sweep.TrialCounts[TrialState.Pending]));
    }

    [Fact]
    public async Task A_listed_trial_another_sweep_holds_stays_that_sweeps_and_submitting_again_is_no_change()
    {
        // The same config and seed in two sweep files is one trial id, and a trial belongs to one sweep.
        await Store.SubmitSweepAsync(TestData.Sweep("sweep-2"), [TestData.Trial("shared")], "queued", None);

        var first = await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("own"), TestData.Trial("shared", order: 1)], "queued", None);
        var again = await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("own"), TestData.Trial("shared", order: 1)], "queued", None);

        Assert.Equal((1, 1, 1), (first.Revision, first.TrialsAdded, first.TrialsElsewhere));
        Assert.Equal("revision 1: 1 trial added; 1 listed trial is already another sweep's and not part of this one", first.Describe());
        Assert.Equal((1, (int?)null, 1, 1), (again.Revision, again.PreviousRevision, again.TrialsKept, again.TrialsElsewhere));
        Assert.Equal(["own"], (await Store.ListTrialsAsync("sweep-1", None)).Select(t => t.Snapshot.Id));
        Assert.Equal("sweep-2", (await Store.GetTrialAsync("shared", None))!.Snapshot.SweepId);
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_sweep_each_decide_on_what_the_one_before_wrote()
    {
        // Two definitions, submitted alternately from two store instances at once on a new sweep: exactly one creates
        // it, every other either finds its own definition there already or makes the next revision; none is lost.
        NewTrial[] a = [TestData.Trial("t1"), TestData.Trial("t2", order: 1)];
        NewTrial[] b = [TestData.Trial("t1"), TestData.Trial("t3", order: 1)];
        var stores = new[] { Store, await OpenAsync() };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            stores[i % 2].SubmitSweepAsync(TestData.Sweep(), i % 4 < 2 ? a : b, "queued", Clock.GetUtcNow(), None))));

        Assert.Single(results, r => r.SweepAdded);
        var revised = results.Where(r => r.PreviousRevision is not null).ToList();
        Assert.Equal(Enumerable.Range(2, revised.Count), revised.Select(r => r.Revision).Order());
        Assert.All(revised, r => Assert.Equal(r.Revision - 1, r.PreviousRevision));
        var sweep = (await Store.GetSweepAsync("sweep-1", None))!;
        Assert.Equal(1 + revised.Count, sweep.Revision);
        var listed = (await Store.ListTrialsAsync("sweep-1", None)).Where(t => t.Snapshot.RemovedInRevision is null).Select(t => t.Snapshot.Id).ToList();
        Assert.True(listed.SequenceEqual(["t1", "t2"]) || listed.SequenceEqual(["t1", "t3"]), string.Join(", ", listed));
        Assert.Equal(2, sweep.TrialCounts[TrialState.Pending]);
    }

    [Fact]
    public async Task Trial_definition_round_trips()
    {
        var resources = new ResourceRequest(2, 39.5, TestData.Labels(("zone", "a")));
        var trial = TestData.Trial("t1", maxAttempts: 4, priority: 7, order: 3, resources: resources) with { ExpectedVerdict = null, Seed = -42 };
        await Store.SubmitSweepAsync(TestData.Sweep(), [trial], "queued", None);

        var stored = (await Store.GetTrialAsync("t1", None))!;

        Assert.Equal(trial with { Resources = stored.Definition.Resources }, stored.Definition);
        Assert.Equal(2, stored.Definition.Resources.Gpus);
        Assert.Equal(39.5, stored.Definition.Resources.GpuMemoryGiB);
        Assert.Equal("a", stored.Definition.Resources.Labels["zone"]);
        Assert.Equal(TrialState.Pending, stored.Snapshot.State);
        Assert.Equal(0, stored.Snapshot.CurrentAttempt);
        Assert.Null(stored.Snapshot.Attempt);
        Assert.Equal(TestData.T0, stored.Snapshot.SubmittedAt);
        Assert.Equal(TestData.Sweep(), (await Store.GetSweepAsync("sweep-1", None))!.Sweep);
    }

    [Fact]
    public async Task Claim_leases_only_pending_trials_and_records_reasons_for_the_rest()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1", order: 0), TestData.Trial("t2", order: 1), TestData.Trial("t3", order: 2)], "queued", None);
        await LeaseAsync("t1", "silo-a");
        IReadOnlyList<string>? offered = null;

        var leased = await Store.ClaimAsync(1, pending =>
        {
            offered = [.. pending.Select(t => t.Id)];
            var lease = TrialLifecycle.Lease(pending[0], "silo-b", ["cpu0"], Clock.GetUtcNow(), Ttl).Value;
            return new ClaimPlan([lease], new Dictionary<string, string> { ["t3"] = "waiting for a free slot" });
        }, None);

        Assert.Equal(["t2", "t3"], offered);
        Assert.Equal("t2", Assert.Single(leased).Id);
        var t2 = (await Store.GetTrialAsync("t2", None))!.Snapshot;
        Assert.Equal(TrialState.Leased, t2.State);
        Assert.Equal("silo-b", t2.Attempt!.SiloId);
        Assert.Equal(["cpu0"], t2.Attempt.SlotIds);
        Assert.Equal(TestData.T0 + Ttl, t2.Attempt.LeaseExpiresAt);
        Assert.Equal("waiting for a free slot", (await Store.GetTrialAsync("t3", None))!.Snapshot.PendingReason);
    }

    [Fact]
    public async Task Claim_offers_pending_trials_in_queue_order()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("low", order: 0), TestData.Trial("high", priority: 5, order: 1)], "queued", None);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await Store.SubmitSweepAsync(TestData.Sweep("sweep-2"), [TestData.Trial("later", priority: 5, order: 0)], "queued", None);
        IReadOnlyList<string>? offered = null;

        await Store.ClaimAsync(1, pending =>
        {
            offered = [.. pending.Select(t => t.Id)];
            return new ClaimPlan([], new Dictionary<string, string>());
        }, None);

        Assert.Equal(["high", "later", "low"], offered);
    }

    [Fact]
    public async Task A_fitting_trial_behind_a_long_head_of_unplaceable_ones_is_still_found()
    {
        // The store offers the head of the queue first; when the plan places none of it, the whole queue.
        var trials = Enumerable.Range(0, 100).Select(i => TestData.Trial($"t{i:D3}", order: i)).ToList();
        await Store.SubmitSweepAsync(TestData.Sweep(), trials, "queued", None);
        var offers = new List<int>();

        var leased = await Store.ClaimAsync(1, pending =>
        {
            offers.Add(pending.Count);
            var fitting = pending.FirstOrDefault(t => t.Id == "t099");
            return fitting is null
                ? new ClaimPlan([], new Dictionary<string, string>())
                : new ClaimPlan([TrialLifecycle.Lease(fitting, "silo-a", ["cpu0"], Clock.GetUtcNow(), Ttl).Value], new Dictionary<string, string>());
        }, None);

        Assert.Equal("t099", Assert.Single(leased).Id);
        Assert.Equal(100, offers[^1]);
        Assert.True(offers[0] < 100, $"the first offer held {offers[0]} trials; expected only the head of the queue");
        Assert.Equal(TrialState.Leased, (await Store.GetTrialAsync("t099", None))!.Snapshot.State);
    }

    [Fact]
    public async Task Parallel_claimers_never_receive_the_same_trial()
    {
        const int TrialCount = 60;
        await Store.SubmitSweepAsync(TestData.Sweep(), [.. Enumerable.Range(0, TrialCount).Select(i => TestData.Trial($"t{i:D2}", order: i))], "queued", None);
        var second = await OpenAsync();
        var stores = new[] { Store, second };

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(claimer => Task.Run(async () =>
        {
            var store = stores[claimer % stores.Length];
            var mine = new List<TrialSnapshot>();
            while (true)
            {
                var leased = await store.ClaimAsync(3, pending => new ClaimPlan(
                    [.. pending.Take(3).Select(t => TrialLifecycle.Lease(t, $"silo-{claimer}", ["cpu0"], Clock.GetUtcNow(), Ttl).Value)],
                    new Dictionary<string, string>()), None);
                if (leased.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(leased);
            }
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(TrialCount, all.Count);
        Assert.Equal(TrialCount, all.Select(t => t.Id).Distinct().Count());
        Assert.All(all, t => Assert.Equal(1, t.CurrentAttempt));
        foreach (var claimed in all)
        {
            var stored = (await Store.GetTrialAsync(claimed.Id, None))!.Snapshot;
            Assert.Equal(claimed.Attempt!.SiloId, stored.Attempt!.SiloId);
            Assert.Single(await Store.ListAttemptsAsync(claimed.Id, None));
        }
    }

    [Fact]
    public async Task A_write_that_throws_part_way_leaves_nothing_behind_while_the_writes_beside_it_commit()
    {
        // Many writers at once (the SQLite store commits concurrent writes together): every odd claim writes its
        // lease and then throws; it must vanish whole, and every even claim beside it must stay.
        const int TrialCount = 40;
        await Store.SubmitSweepAsync(TestData.Sweep(), [.. Enumerable.Range(0, TrialCount).Select(i => TestData.Trial($"t{i:D2}", order: i))], "queued", None);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, TrialCount).Select(i => Task.Run(async () =>
        {
            // A store may hold back a row another claim has locked (PostgreSQL's SKIP LOCKED): ask again until offered.
            for (var round = 0; round < 200; round++)
            {
                var offered = false;
                try
                {
                    await Store.ClaimAsync(1, pending =>
                    {
                        offered = pending.FirstOrDefault(t => t.Id == $"t{i:D2}") is not null;
                        if (!offered)
                        {
                            return new ClaimPlan([], new Dictionary<string, string>());
                        }

                        var lease = TrialLifecycle.Lease(pending.Single(t => t.Id == $"t{i:D2}"), $"silo-{i}", ["cpu0"], Clock.GetUtcNow(), Ttl).Value;
                        return new ClaimPlan(i % 2 == 0 ? [lease] : [lease, lease], new Dictionary<string, string>());
                    }, None);
                }
                catch (InvalidOperationException exception)
                {
                    return (Index: i, Error: (Exception?)exception);
                }

                if (offered)
                {
                    return (Index: i, Error: null);
                }

                await Task.Delay(10);
            }

            throw new TimeoutException($"trial t{i:D2} was never offered");
        })));

        foreach (var (index, error) in outcomes)
        {
            var trial = (await Store.GetTrialAsync($"t{index:D2}", None))!.Snapshot;
            if (index % 2 == 0)
            {
                Assert.Null(error);
                Assert.Equal(TrialState.Leased, trial.State);
                Assert.Equal($"silo-{index}", trial.Attempt!.SiloId);
            }
            else
            {
                Assert.NotNull(error);
                Assert.Equal(TrialState.Pending, trial.State);
                Assert.Empty(await Store.ListAttemptsAsync(trial.Id, None));
            }
        }
    }

    [Fact]
    public async Task Refused_transition_changes_nothing_and_logs_nothing()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await LeaseAsync("t1", "silo-a");
        var before = (await Store.GetTrialAsync("t1", None))!.Snapshot;
        var eventsBefore = await Store.ListEventsAsync(new EventQuery(), None);

        var outcome = await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Complete(t, 7, "silo-a", Clock.GetUtcNow(), "{}"), None);

        Assert.Equal(RefusalKind.StaleAttempt, outcome.Refusal?.Kind);
        var after = (await Store.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal(before.State, after.State);
        Assert.Equal(before.Attempt!.State, after.Attempt!.State);
        Assert.Null(after.SummaryJson);
        Assert.Equal(eventsBefore.Count, (await Store.ListEventsAsync(new EventQuery(), None)).Count);
    }

    [Fact]
    public async Task Updating_an_unknown_trial_is_refused_as_not_found()
    {
        var outcome = await Store.UpdateTrialAsync("nope", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None);

        Assert.Equal(RefusalKind.NotFound, outcome.Refusal?.Kind);
    }

    [Fact]
    public async Task Transitions_keep_every_attempt_as_history()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await LeaseAsync("t1", "silo-a");
        await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Heartbeat(t, 1, "silo-a", Clock.GetUtcNow(), Ttl, new AttemptProgress(5, 50, 0)), None);
        await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Fail(t, 1, "silo-a", Clock.GetUtcNow(), "segfault"), None);
        await LeaseAsync("t1", "silo-b");

        var attempts = await Store.ListAttemptsAsync("t1", None);

        Assert.Equal([1, 2], attempts.Select(a => a.Number));
        Assert.Equal(AttemptState.Failed, attempts[0].State);
        Assert.Equal("segfault", attempts[0].Error);
        Assert.Equal(new AttemptProgress(5, 50, 0), attempts[0].Progress);
        Assert.Equal(AttemptState.Leased, attempts[1].State);
        Assert.Equal("silo-b", attempts[1].SiloId);
        var events = await Store.ListEventsAsync(new EventQuery(TrialId: "t1"), None);
        Assert.Equal(["attempt.leased", "attempt.running", "attempt.failed", "attempt.leased"], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Expired_leases_and_live_attempts_are_listed()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("early"), TestData.Trial("late"), TestData.Trial("idle")], "queued", None);
        await LeaseAsync("early", "silo-a");
        Clock.Advance(TimeSpan.FromSeconds(10));
        await LeaseAsync("late", "silo-b");

        Clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(["early"], await Store.ListExpiredLeasesAsync(Clock.GetUtcNow(), None));
        Assert.Equal(["early", "late"], await Store.ListExpiredLeasesAsync(Clock.GetUtcNow() + TimeSpan.FromSeconds(10), None));
        Assert.Equal(["late"], (await Store.ListLiveAttemptsAsync("silo-b", None)).Select(t => t.Id));
    }

    [Fact]
    public async Task Metric_points_are_written_once_even_when_retried()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await LeaseAsync("t1", "silo-a");
        MetricPoint[] batch = [new(1, "loss", 0.5, 0, "train"), new(2, "loss", double.NaN, 0, "train"), new(2, "psnr", 28.5, null, "eval")];

        var first = await Store.AppendMetricsAsync("t1", 1, batch, _ => null, None);
        var retry = await Store.AppendMetricsAsync("t1", 1, [.. batch.Select(p => p with { Value = 99 })], _ => null, None);

        Assert.Equal(3, first.Value);
        Assert.Equal(0, retry.Value);
        var points = await Store.GetMetricPointsAsync("t1", None);
        Assert.Equal(3, points.Count);
        Assert.Equal([0.5, double.NaN], points.Where(p => p.Point.Name == "loss").Select(p => p.Point.Value));
        Assert.Equal(28.5, Assert.Single(points, p => p.Point.Name == "psnr").Point.Value);
        Assert.All(points, p => Assert.Equal(1, p.Attempt));
    }

    [Fact]
    public async Task Metric_points_refused_by_the_guard_are_not_written()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);

        var outcome = await Store.AppendMetricsAsync("t1", 1, [new MetricPoint(1, "loss", 1, 0, "train")], _ => Refusal.StaleAttempt("stale"), None);
        var unknown = await Store.AppendMetricsAsync("nope", 1, [new MetricPoint(1, "loss", 1, 0, "train")], _ => null, None);

        Assert.Equal(RefusalKind.StaleAttempt, outcome.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, unknown.Refusal?.Kind);
        Assert.Empty(await Store.GetMetricPointsAsync("t1", None));
    }

    [Fact]
    public async Task Checkpoint_round_trips_and_becomes_the_resume_point()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await LeaseAsync("t1", "silo-a");
        var bytes = RandomNumberGenerator.GetBytes(100_000);

        var first = await Store.PutArtifactAsync(new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "../../etc/passwd", bytes), _ => null, None);
        var again = await Store.PutArtifactAsync(new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "../../etc/passwd", bytes), _ => null, None);
        var panel = await Store.PutArtifactAsync(new ArtifactUpload("t1", 1, ArtifactKinds.Panel, "panel.png", new byte[] { 1, 2, 3 }), _ => null, None);

        Assert.Equal(first.Value.Id, again.Value.Id);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), first.Value.Sha256);
        Assert.Equal(bytes.Length, first.Value.Size);
        var stored = (await Store.GetArtifactAsync(first.Value.Id, None))!;
        Assert.Equal(bytes, stored.Content.ToArray());
        Assert.Equal("../../etc/passwd", stored.Info.Name);
        Assert.Equal(first.Value.Id, (await Store.GetTrialAsync("t1", None))!.Snapshot.LastCheckpointArtifactId);
        Assert.Equal(2, (await Store.ListArtifactsAsync("t1", None)).Count);
        Assert.NotEqual(first.Value.Id, panel.Value.Id);
        Assert.Null(await Store.GetArtifactAsync("missing", None));
    }

    [Fact]
    public async Task Artifact_refused_by_the_guard_is_not_stored()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);

        var outcome = await Store.PutArtifactAsync(new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "c", new byte[] { 1 }), _ => Refusal.NotHolder("not yours"), None);

        Assert.Equal(RefusalKind.NotHolder, outcome.Refusal?.Kind);
        Assert.Empty(await Store.ListArtifactsAsync("t1", None));
        Assert.Null((await Store.GetTrialAsync("t1", None))!.Snapshot.LastCheckpointArtifactId);
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_only_its_unfinished_trials()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("done"), TestData.Trial("running"), TestData.Trial("waiting")], "queued", None);
        await Store.SubmitSweepAsync(TestData.Sweep("other"), [TestData.Trial("elsewhere")], "queued", None);
        await LeaseAsync("done", "silo-a");
        await Store.UpdateTrialAsync("done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), "{}"), None);
        await LeaseAsync("running", "silo-a");

        var outcome = await Store.CancelSweepAsync("sweep-1", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None);

        Assert.Equal(["running", "waiting"], outcome.Value.Select(c => c.Next.Id).Order(StringComparer.Ordinal));
        Assert.Equal(TrialState.Succeeded, (await Store.GetTrialAsync("done", None))!.Snapshot.State);
        Assert.Equal(AttemptState.Cancelled, (await Store.GetTrialAsync("running", None))!.Snapshot.Attempt!.State);
        Assert.Equal(TrialState.Pending, (await Store.GetTrialAsync("elsewhere", None))!.Snapshot.State);
        Assert.Equal(TestData.T0, (await Store.GetSweepAsync("sweep-1", None))!.CancelledAt);
        Assert.Equal(RefusalKind.NotFound, (await Store.CancelSweepAsync("nope", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None)).Refusal?.Kind);
    }

    [Fact]
    public async Task Silos_are_registered_updated_and_touched()
    {
        await Store.UpsertSiloAsync(TestData.GpuSilo("s1", 80, 24), None);
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Store.UpsertSiloAsync(TestData.CpuSilo("s1", slots: 1, labels: TestData.Labels(("zone", "a"))), None);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(await Store.TouchSiloAsync("s1", None));
        Assert.False(await Store.TouchSiloAsync("nope", None));
        var silo = (await Store.GetSiloAsync("s1", None))!;
        Assert.Equal(TestData.T0, silo.RegisteredAt);
        Assert.Equal(TestData.T0 + TimeSpan.FromSeconds(10), silo.LastHeartbeatAt);
        Assert.Equal("a", silo.Silo.Labels["zone"]);
        Assert.Equal(new SlotInfo("cpu0", null, null, 0), Assert.Single(silo.Silo.Slots));
        Assert.Single(await Store.ListSilosAsync(None));
    }

    [Fact]
    public async Task Events_are_appended_in_order_and_filtered()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await Store.AppendEventAsync(new NewEvent("sweep-1", "t1", null, "note", "first"), None);
        await Store.AppendEventAsync(new NewEvent("other", null, null, "note", "elsewhere"), None);
        await Store.AppendEventAsync(new NewEvent("sweep-1", null, null, "note", "second"), None);

        var sweepEvents = await Store.ListEventsAsync(new EventQuery(SweepId: "sweep-1"), None);
        var afterFirst = await Store.ListEventsAsync(new EventQuery(SweepId: "sweep-1", AfterId: sweepEvents[1].Id), None);

        Assert.Equal(["sweep.submitted", "note", "note"], sweepEvents.Select(e => e.Kind));
        Assert.Equal(["first", "second"], sweepEvents.Skip(1).Select(e => e.Message));
        Assert.True(sweepEvents[0].Id < sweepEvents[1].Id);
        Assert.Equal("second", Assert.Single(afterFirst).Message);
        Assert.Equal("first", Assert.Single(await Store.ListEventsAsync(new EventQuery(TrialId: "t1"), None)).Message);
        Assert.Single(await Store.ListEventsAsync(new EventQuery(Limit: 1), None));
    }

    [Fact]
    public async Task Acknowledged_writes_survive_closing_and_reopening_the_store()
    {
        await Store.UpsertSiloAsync(TestData.CpuSilo("s1"), None);
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2")], "queued", None);
        await LeaseAsync("t1", "s1");
        await Store.AppendMetricsAsync("t1", 1, [new MetricPoint(1, "loss", 0.25, 0, "train")], _ => null, None);
        var checkpoint = await Store.PutArtifactAsync(new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "epoch-1", new byte[] { 9, 8, 7 }), _ => null, None);
        await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Complete(t, 1, "s1", Clock.GetUtcNow(), """{"psnr":30}"""), None);
        var events = (await Store.ListEventsAsync(new EventQuery(), None)).Count;
        await CloseAsync(Store);

        var reopened = await OpenAsync();

        var t1 = (await reopened.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal(TrialState.Succeeded, t1.State);
        Assert.Equal("""{"psnr":30}""", t1.SummaryJson);
        Assert.Equal(checkpoint.Value.Id, t1.LastCheckpointArtifactId);
        Assert.Equal(TrialState.Pending, (await reopened.GetTrialAsync("t2", None))!.Snapshot.State);
        Assert.Equal(0.25, Assert.Single(await reopened.GetMetricPointsAsync("t1", None)).Point.Value);
        Assert.Equal([9, 8, 7], (await reopened.GetArtifactAsync(checkpoint.Value.Id, None))!.Content.ToArray());
        Assert.NotNull(await reopened.GetSiloAsync("s1", None));
        Assert.Equal(events, (await reopened.ListEventsAsync(new EventQuery(), None)).Count);
        Assert.Single(await reopened.ListSweepsAsync(None));
    }

    private async Task<ITrialStore> OpenAsync()
    {
        var store = await OpenStoreAsync(Clock);
        _opened.Add(store);
        return store;
    }

    private async Task CloseAsync(ITrialStore store)
    {
        _opened.Remove(store);
        await store.DisposeAsync();
    }

    private async Task LeaseAsync(string trialId, string siloId)
    {
        var outcome = await Store.UpdateTrialAsync(trialId, t => TrialLifecycle.Lease(t, siloId, ["cpu0"], Clock.GetUtcNow(), Ttl), None);
        Assert.True(outcome.IsAccepted, outcome.ToString());
    }
}
