using System.Data.Common;
using System.Security.Cryptography;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The behaviour every <see cref="ITrialStore"/> must have. Each store implementation subclasses
/// this suite and says how to open a store on a fresh database of its own.
/// </summary>
public abstract class TrialStoreContractTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly List<ITrialStore> _opened = [];

    protected FakeTimeProvider Clock { get; } = new(TestData.T0);

    protected ITrialStore Store { get; private set; } = null!;

    /// <summary>The database <see cref="Store"/> opens.</summary>
    protected const string MainDatabase = "main";

    /// <summary>The dialect's folder of migration scripts (<c>Sqlite</c>, <c>Postgres</c>).</summary>
    protected abstract string MigrationsFolder { get; }

    /// <summary>
    /// Opens a store on database <paramref name="database"/> of this test, creating it if needed; called again to reopen
    /// it or to open a second instance.
    /// </summary>
    protected abstract Task<ITrialStore> OpenStoreAsync(TimeProvider time, string database);

    /// <summary>Opens a plain connection to database <paramref name="database"/> of this test, creating it empty if needed.</summary>
    protected abstract Task<DbConnection> ConnectAsync(string database);

    /// <summary>Removes this test's databases once every store on them is disposed.</summary>
    protected abstract Task DeleteDatabasesAsync();

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }

        await DeleteDatabasesAsync();
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
        Assert.Equal("drop_leases", Assert.Single(first, m => m.Version == 3).Name);
        Assert.Equal("early_stopping", Assert.Single(first, m => m.Version == 4).Name);
        Assert.Equal(TestData.T0, initial.AppliedAt);
        Assert.Equal(first.Select(m => (m.Version, m.AppliedAt)), second.Select(m => (m.Version, m.AppliedAt)));
        Assert.Equal(first.Select(m => m.Version).Order(), first.Select(m => m.Version));
    }

    [Fact]
    public async Task A_sweeps_early_stopping_a_trial_that_opted_out_and_a_pruned_trials_reason_are_stored()
    {
        var policy = new EarlyStopping.StoppingPolicy { Rule = EarlyStopping.StoppingRule.Median, Metric = "eval.psnr_cross", Maximize = false, GraceEpochs = 2, MinTrials = 4 };
        await Store.SubmitSweepAsync(TestData.Sweep("es") with { EarlyStopping = policy },
            [TestData.Trial("es-judged"), TestData.Trial("es-out", order: 1) with { EarlyStopping = false }], "queued", None);
        var pruned = await Store.UpdateTrialAsync("es-judged", t => TrialLifecycle.Prune(t, TestData.T0, "pruned at epoch 2: why"), None);
        Assert.True(pruned.IsAccepted);

        await CloseAsync(Store);
        var reopened = await OpenAsync();
        Assert.Equal(policy, (await reopened.GetSweepAsync("es", None))!.Sweep.EarlyStopping);
        var judged = (await reopened.GetTrialAsync("es-judged", None))!;
        Assert.Equal((TrialState.Pruned, "pruned at epoch 2: why", true), (judged.Snapshot.State, judged.Snapshot.StopReason, judged.Definition.EarlyStopping));
        Assert.False((await reopened.GetTrialAsync("es-out", None))!.Definition.EarlyStopping);
        Assert.Equal(1, (await reopened.GetSweepAsync("es", None))!.TrialCounts[TrialState.Pruned]);
    }

    [Fact]
    public async Task Migrations_3_and_4_keep_every_row_of_a_version_2_database_and_call_its_leased_trials_placed()
    {
        await using (var connection = await ConnectAsync("v2"))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await SchemaMigrator.ApplyAsync(connection, transaction, [.. SchemaMigrator.LoadScripts(MigrationsFolder).Where(s => s.Version <= 2)], TestData.T0, None);
            await ExecuteAsync(connection, transaction, Version2Rows);
            await ExecuteAsync(connection, transaction, """
                INSERT INTO artifacts (id, trial_id, attempt, kind, name, sha256, size, content, created_at)
                VALUES ('ckpt', 'placed', 1, 'checkpoint', 'step-40', 'aa', 3, @content, 2900)
                """, ("@content", new byte[] { 7, 8, 9 }));
            await transaction.CommitAsync();
        }

        Clock.Advance(TimeSpan.FromHours(1));

        var store = await OpenAsync("v2");

        Assert.Equal([(1, "initial", TestData.T0), (2, "sweep_revisions", TestData.T0), (3, "drop_leases", Clock.GetUtcNow()), (4, "early_stopping", Clock.GetUtcNow())],
            (await store.GetAppliedMigrationsAsync(None)).Select(m => (m.Version, m.Name, m.AppliedAt)));
        var sweep = Assert.Single(await store.ListSweepsAsync(None));
        // Migration 4: a sweep written before early stopping has none, and its trials take part should it get one.
        Assert.Null(sweep.Sweep.EarlyStopping);
        Assert.All(await store.ListTrialsAsync(sweep.Sweep.Id, None), t => Assert.Equal((true, (string?)null), (t.Definition.EarlyStopping, t.Snapshot.StopReason)));
        Assert.Equal(("old-sweep", 2, Ms(1000), Ms(2000)), (sweep.Sweep.Name, sweep.Revision, sweep.Sweep.CreatedAt, sweep.SubmittedAt));
        Assert.Equal(new Dictionary<TrialState, int> { [TrialState.Placed] = 1, [TrialState.Running] = 1, [TrialState.Succeeded] = 1 }, sweep.TrialCounts);

        var placed = (await store.GetTrialAsync("placed", None))!.Snapshot;
        Assert.Equal((TrialState.Placed, 2, "ckpt"), (placed.State, placed.CurrentAttempt, placed.LastCheckpointArtifactId));
        var live = placed.Attempt!;
        Assert.Equal((2, AttemptState.Placed, "silo-b", Ms(3000), (DateTimeOffset?)null, (string?)null),
            (live.Number, live.State, live.SiloId, live.StartedAt, live.EndedAt, live.Error));
        Assert.Equal(["gpu0", "gpu1"], live.SlotIds);
        var history = await store.ListAttemptsAsync("placed", None);
        Assert.Equal([AttemptState.Lost, AttemptState.Placed], history.Select(a => a.State));
        Assert.Equal(("silo silo-a was declared dead", Ms(2900), new AttemptProgress(40, 100, 1)), (history[0].Error, history[0].EndedAt!.Value, history[0].Progress!));
        var running = (await store.GetTrialAsync("running", None))!.Snapshot.Attempt!;
        Assert.Equal((AttemptState.Running, 7L), (running.State, running.Progress!.Step));

        var done = (await store.GetTrialAsync("done", None))!;
        Assert.Equal((TrialState.Succeeded, """{"psnr":30}""", "pass", 5), (done.Snapshot.State, done.Snapshot.SummaryJson, done.Definition.ExpectedVerdict, done.Definition.Priority));
        Assert.Equal((1, 40.5, "a"), (done.Definition.Resources.Gpus, done.Definition.Resources.GpuMemoryGiB, done.Definition.Resources.Labels["zone"]));
        Assert.Equal((AttemptState.Succeeded, Ms(2800)), (done.Snapshot.Attempt!.State, done.Snapshot.Attempt.EndedAt!.Value));
        Assert.Equal(30.5, Assert.Single(await store.GetMetricPointsAsync("done", None)).Point.Value);
        Assert.Equal([7, 8, 9], (await store.GetArtifactAsync("ckpt", None))!.Content.ToArray());
        Assert.Equal(["sweep.submitted", "attempt.leased"], (await store.ListEventsAsync(new EventQuery(SweepId: "old"), None)).Select(e => e.Kind));

        // The migrated rows are live rows: a cancel finds the placed and the running trial unfinished.
        var cancelled = await store.CancelSweepAsync("old", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None);
        Assert.Equal(["placed", "running"], cancelled.Value.Select(c => c.Next.Id).Order(StringComparer.Ordinal));
        Assert.Equal(AttemptState.Cancelled, (await store.GetTrialAsync("placed", None))!.Snapshot.Attempt!.State);

        await using var after = await ConnectAsync("v2");
        foreach (var gone in new[] { "SELECT lease_expires_at FROM attempts", "SELECT id FROM silos", "DROP INDEX ix_attempts_lease" })
        {
            await Assert.ThrowsAnyAsync<DbException>(() => ExecuteAsync(after, null, gone));
        }
    }

    [Fact]
    public async Task Submitting_the_same_definition_again_changes_nothing()
    {
        var first = await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2", order: 1)], "queued", None);
        await PlaceAsync("t1", "silo-a");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.SubmitSweepAsync(TestData.Sweep() with { CreatedAt = Clock.GetUtcNow() },
            [TestData.Trial("t1"), TestData.Trial("t2", order: 1)], "queued again", Clock.GetUtcNow(), None);

        Assert.Equal((true, 1, 2), (first.SweepAdded, first.Revision, first.TrialsAdded));
        Assert.Equal((false, 1, (int?)null, 0, 0, 2), (again.SweepAdded, again.Revision, again.PreviousRevision, again.TrialsAdded, again.TrialsRemoved, again.TrialsKept));
        var trials = await Store.ListTrialsAsync("sweep-1", None);
        Assert.Equal(["t1", "t2"], trials.Select(t => t.Snapshot.Id));
        Assert.Equal(TrialState.Placed, trials[0].Snapshot.State);
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
        await PlaceAsync("done", "silo-a");
        await Store.UpdateTrialAsync("done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":30}"""), None);
        await PlaceAsync("old-done", "silo-a");
        await Store.UpdateTrialAsync("old-done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":20}"""), None);
        await PlaceAsync("running", "silo-a");
        await Store.UpdateTrialAsync("running", t => TrialLifecycle.Start(t, 1, "silo-a"), None);
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

        // What the scheduler queues from the rows: the removed trials are not among them.
        var queued = (await new StoreTrialRecords(Store, Clock).LoadSchedulerSnapshotAsync(null, None)).Pending;
        Assert.Equal(["kept", "new"], queued.Select(t => t.TrialId).Order(StringComparer.Ordinal));

        var events = await Store.ListEventsAsync(new EventQuery(SweepId: "sweep-1"), None);
        Assert.Equal($"sweep skip-ablation: {revised.Describe()}", Assert.Single(events, e => e.Kind == "sweep.revised").Message);
        Assert.Equal(["old-done", "running", "waiting"], events.Where(e => e.Kind == "trial.removed").Select(e => e.TrialId!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_removed_trial_listed_again_comes_back_with_its_result_or_pending_again()
    {
        NewTrial[] all = [TestData.Trial("finished", order: 0), TestData.Trial("interrupted", order: 1), TestData.Trial("stays", order: 2)];
        await Store.SubmitSweepAsync(TestData.Sweep(), all, "queued", None);
        await PlaceAsync("finished", "silo-a");
        await Store.UpdateTrialAsync("finished", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), """{"psnr":30}"""), None);
        await PlaceAsync("interrupted", "silo-a");
        await Store.SubmitSweepAsync(TestData.Sweep(), [all[2]], "queued", Clock.GetUtcNow(), None);

        var back = await Store.SubmitSweepAsync(TestData.Sweep(), all, "listed again", Clock.GetUtcNow(), None);

        Assert.Equal((3, (int?)2, 2, 0, 1), (back.Revision, back.PreviousRevision, back.TrialsAdded, back.TrialsRemoved, back.TrialsKept));
        var finished = (await Store.GetTrialAsync("finished", None))!.Snapshot;
        Assert.Equal((TrialState.Succeeded, """{"psnr":30}""", (int?)null), (finished.State, finished.SummaryJson, finished.RemovedInRevision));
        var interrupted = (await Store.GetTrialAsync("interrupted", None))!.Snapshot;
        Assert.Equal((TrialState.Pending, "listed again", (int?)null, false, 1),
            (interrupted.State, interrupted.PendingReason, interrupted.RemovedInRevision, interrupted.CancelledByRemoval, interrupted.CurrentAttempt));
        await PlaceAsync("interrupted", "silo-b");
        Assert.Equal([AttemptState.Cancelled, AttemptState.Placed], (await Store.ListAttemptsAsync("interrupted", None)).Select(a => a.State));
        var sweep = (await Store.GetSweepAsync("sweep-1", None))!;
        Assert.Equal((3, 1, 1, 1), (sweep.Revision, sweep.TrialCounts[TrialState.Succeeded], sweep.TrialCounts[TrialState.Placed], sweep.TrialCounts[TrialState.Pending]));
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
    public async Task A_write_that_throws_part_way_leaves_nothing_behind_while_the_writes_beside_it_commit()
    {
        // Many writers at once (the SQLite store commits concurrent writes together): every odd cancel marks its sweep
        // cancelled, writes its first trial and then throws on the second; it must vanish whole, and every even cancel
        // beside it must stay.
        const int SweepCount = 40;
        for (var i = 0; i < SweepCount; i++)
        {
            await Store.SubmitSweepAsync(TestData.Sweep($"s{i:D2}"), [TestData.Trial($"s{i:D2}-a", order: 0), TestData.Trial($"s{i:D2}-b", order: 1)], "queued", None);
        }

        var eventsBefore = (await Store.ListEventsAsync(new EventQuery(), None)).Count;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, SweepCount).Select(i => Task.Run(async () =>
        {
            try
            {
                var outcome = await Store.CancelSweepAsync($"s{i:D2}", t => i % 2 == 1 && t.Id.EndsWith("-b", StringComparison.Ordinal)
                    ? throw new InvalidOperationException($"cancel of {t.Id} breaks part way")
                    : TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None);
                Assert.True(outcome.IsAccepted, outcome.ToString());
                return (Index: i, Error: (Exception?)null);
            }
            catch (InvalidOperationException exception)
            {
                return (Index: i, Error: (Exception?)exception);
            }
        })));

        foreach (var (index, error) in outcomes)
        {
            var sweep = (await Store.GetSweepAsync($"s{index:D2}", None))!;
            var states = (await Store.ListTrialsAsync($"s{index:D2}", None)).Select(t => t.Snapshot.State);
            if (index % 2 == 0)
            {
                Assert.Null(error);
                Assert.NotNull(sweep.CancelledAt);
                Assert.Equal([TrialState.Cancelled, TrialState.Cancelled], states);
            }
            else
            {
                Assert.NotNull(error);
                Assert.Null(sweep.CancelledAt);
                Assert.Equal([TrialState.Pending, TrialState.Pending], states);
            }
        }

        // Each committed cancel wrote one event per trial and one for the sweep; the broken ones wrote none.
        Assert.Equal(eventsBefore + (SweepCount / 2 * 3), (await Store.ListEventsAsync(new EventQuery(Limit: 10_000), None)).Count);
    }

    [Fact]
    public async Task Refused_transition_changes_nothing_and_logs_nothing()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await PlaceAsync("t1", "silo-a");
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
        await PlaceAsync("t1", "silo-a");
        await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Start(t, 1, "silo-a"), None);
        await Store.UpdateTrialAsync("t1", t => Outcome<TrialChange>.Accepted(
            new TrialChange(t with { Attempt = t.Attempt! with { Progress = new AttemptProgress(5, 50, 0) } }, "attempt.progress", "attempt 1 at step 5 of 50")), None);
        await Store.UpdateTrialAsync("t1", t => TrialLifecycle.Fail(t, 1, "silo-a", Clock.GetUtcNow(), "segfault"), None);
        await PlaceAsync("t1", "silo-b");

        var attempts = await Store.ListAttemptsAsync("t1", None);

        Assert.Equal([1, 2], attempts.Select(a => a.Number));
        Assert.Equal(AttemptState.Failed, attempts[0].State);
        Assert.Equal("segfault", attempts[0].Error);
        Assert.Equal(new AttemptProgress(5, 50, 0), attempts[0].Progress);
        Assert.Equal(AttemptState.Placed, attempts[1].State);
        Assert.Equal("silo-b", attempts[1].SiloId);
        var events = await Store.ListEventsAsync(new EventQuery(TrialId: "t1"), None);
        Assert.Equal(["attempt.placed", "attempt.running", "attempt.progress", "attempt.failed", "attempt.placed"], events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Metric_points_are_written_once_even_when_retried()
    {
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1")], "queued", None);
        await PlaceAsync("t1", "silo-a");
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
        await PlaceAsync("t1", "silo-a");
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
        await PlaceAsync("done", "silo-a");
        await Store.UpdateTrialAsync("done", t => TrialLifecycle.Complete(t, 1, "silo-a", Clock.GetUtcNow(), "{}"), None);
        await PlaceAsync("running", "silo-a");

        var outcome = await Store.CancelSweepAsync("sweep-1", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None);

        Assert.Equal(["running", "waiting"], outcome.Value.Select(c => c.Next.Id).Order(StringComparer.Ordinal));
        Assert.Equal(TrialState.Succeeded, (await Store.GetTrialAsync("done", None))!.Snapshot.State);
        Assert.Equal(AttemptState.Cancelled, (await Store.GetTrialAsync("running", None))!.Snapshot.Attempt!.State);
        Assert.Equal(TrialState.Pending, (await Store.GetTrialAsync("elsewhere", None))!.Snapshot.State);
        Assert.Equal(TestData.T0, (await Store.GetSweepAsync("sweep-1", None))!.CancelledAt);
        Assert.Equal(RefusalKind.NotFound, (await Store.CancelSweepAsync("nope", t => TrialLifecycle.Cancel(t, Clock.GetUtcNow()), None)).Refusal?.Kind);
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
        await Store.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2")], "queued", None);
        await PlaceAsync("t1", "s1");
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
        Assert.Equal(events, (await reopened.ListEventsAsync(new EventQuery(), None)).Count);
        Assert.Single(await reopened.ListSweepsAsync(None));
    }

    /// <summary>A version-2 database's rows as the lease protocol wrote them: a leased attempt, lease expiries, a silo.</summary>
    private const string Version2Rows = """
        INSERT INTO sweeps (id, name, description, question, objective_metric, objective_goal, sweep_text, created_at, submitted_at, revision)
        VALUES ('old', 'old-sweep', 'stored before migration 3', 'Do its rows survive?', 'psnr', 'maximize', 'name: old-sweep', 1000, 2000, 2);
        INSERT INTO trials (id, sweep_id, config_name, config_key, seed, parameters_json, expect, expected_verdict, config_json, gpus, gpu_memory_gib,
            labels_json, max_attempts, priority, order_index, submitted_at, state, current_attempt, pending_reason, summary_json,
            last_checkpoint_artifact_id, updated_at)
        VALUES ('placed', 'old', 'base', 'base', 1, '{}', 'no leakage', NULL, '{}', 0, 0, '{}', 3, 0, 0, 2000, 'leased', 2, NULL, NULL, 'ckpt', 3000),
            ('running', 'old', 'base', 'base', 2, '{}', 'no leakage', NULL, '{}', 0, 0, '{}', 3, 0, 1, 2000, 'running', 1, NULL, NULL, NULL, 3000),
            ('done', 'old', 'base', 'base', 3, '{}', 'no leakage', 'pass', '{}', 1, 40.5, '{"zone":"a"}', 3, 5, 2, 2000, 'succeeded', 1, NULL, '{"psnr":30}', NULL, 3000);
        INSERT INTO attempts (trial_id, number, silo_id, slot_ids_json, state, lease_expires_at, started_at, ended_at, error,
            progress_step, progress_total_steps, progress_epoch)
        VALUES ('placed', 1, 'silo-a', '["cpu0"]', 'lost', 9000, 2500, 2900, 'silo silo-a was declared dead', 40, 100, 1),
            ('placed', 2, 'silo-b', '["gpu0","gpu1"]', 'leased', 9000, 3000, NULL, NULL, NULL, NULL, NULL),
            ('running', 1, 'silo-b', '["cpu1"]', 'running', 9000, 3000, NULL, NULL, 7, NULL, NULL),
            ('done', 1, 'silo-a', '["gpu0"]', 'succeeded', 9000, 2500, 2800, NULL, 100, 100, 2);
        INSERT INTO silos (id, name, labels_json, slots_json, registered_at, last_heartbeat_at) VALUES ('silo-a', 'a', '{}', '[]', 1000, 2000);
        INSERT INTO metric_points (trial_id, attempt, step, name, value, epoch, kind, recorded_at) VALUES ('done', 1, 100, 'psnr', 30.5, 2, 'eval', 2800);
        INSERT INTO events (at, sweep_id, trial_id, attempt, kind, message)
        VALUES (2000, 'old', NULL, NULL, 'sweep.submitted', 'sweep old-sweep: revision 1'), (3000, 'old', 'placed', 2, 'attempt.leased', 'attempt 2 leased to silo silo-b');
        """;

    private static DateTimeOffset Ms(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<ITrialStore> OpenAsync(string database = MainDatabase)
    {
        var store = await OpenStoreAsync(Clock, database);
        _opened.Add(store);
        return store;
    }

    private async Task CloseAsync(ITrialStore store)
    {
        _opened.Remove(store);
        await store.DisposeAsync();
    }

    private async Task PlaceAsync(string trialId, string siloId)
    {
        var outcome = await Store.UpdateTrialAsync(trialId, t => TrialLifecycle.Place(t, siloId, ["cpu0"], Clock.GetUtcNow()), None);
        Assert.True(outcome.IsAccepted, outcome.ToString());
    }
}
