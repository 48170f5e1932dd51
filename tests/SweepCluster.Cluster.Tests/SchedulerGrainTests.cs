using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The scheduler, sweep and trial grains together on one in-process silo, over a real SQLite store, with silos and
/// membership from a fake. The recorded StartAttempt and StopAttempt decisions are what a silo's runner would act on.
/// Each test gets its own cluster and database: the scheduler is one grain for the whole cluster.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SchedulerGrainTests : IAsyncLifetime
{
    private const string SweepId = "sweep-1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _directory = new("sweepcluster-scheduler-");
    private readonly FakeClusterSlots _slots = new();
    private readonly TrialGrainClusterFixture.RecordingDecisionSink _decisions = new();
    private InProcessTestCluster? _cluster;
    private ITrialStore? _store;

    private InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    private ITrialStore Store => _store ?? throw new InvalidOperationException("The store is not open.");

    private IGrainFactory Grains => Cluster.Client;

    private ISchedulerGrain Scheduler => Grains.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster);

    public async Task InitializeAsync()
    {
        _store = await SqlTrialStore.OpenSqliteAsync(_directory.File("store.db"), TimeProvider.System, CancellationToken.None);
        var records = new StoreTrialRecords(_store, TimeProvider.System);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddTrialMemoryStorage();
            silo.Services.AddSingleton<ITrialRecords>(records);
            silo.Services.AddSingleton<IClusterSlots>(_slots);
            // Long enough that no placement is sent twice while a test runs: a resend would be a second StartAttempt.
            silo.Services.Configure<SchedulerOptions>(options => options.ResendAfter = TimeSpan.FromMinutes(5));
            // The fake's silo ids are not silo addresses: trial grains take placements wherever they are active.
            silo.Services.Configure<TrialGrainOptions>(options => options.RunOnPlacedSilo = false);
            silo.Services.AddSingleton<ITrialDecisionSink, SchedulerDecisionSink>();
            silo.Services.AddSingleton<ITrialDecisionSink>(_decisions);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory.Dispose();
    }

    [Fact]
    public async Task Submitted_sweep_fills_the_free_slots_and_each_ended_attempt_places_the_next_trial()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 2));
        string[] ids = ["t0", "t1", "t2", "t3", "t4"];

        await SubmitAsync(SweepId, [.. ids.Select((id, i) => TestData.Trial(id, order: i))]);

        var rows = await EventuallyAsync(() => RowsAsync(SweepId),
            r => r.Count(t => t.State == TrialState.Placed) == 2
                && r.Count(t => t.State == TrialState.Pending && t.PendingReason == "waiting for a free slot") == 3,
            "two trials placed and three waiting for a free slot");
        Assert.Equal(["t0", "t1"], rows.Where(t => t.State == TrialState.Placed).Select(t => t.Id));
        Assert.All(rows.Where(t => t.State == TrialState.Placed), t => Assert.Equal((1, "silo-a"), (t.CurrentAttempt, t.Attempt!.SiloId)));
        var view = await Scheduler.TickAsync();
        Assert.Equal<string>(["t2", "t3", "t4"], view.Queued);
        Assert.Equal(["t0", "t1"], view.Allocations.Select(a => a.TrialId));
        Assert.All(view.Allocations, a => Assert.True(a.Confirmed));
        Assert.Equal(["t0", "t1"], ids.Where(id => Starts(id).Count > 0));
        Assert.All(ids.Take(2), id => Assert.Equal(new TrialDecision(TrialDecisionKind.StartAttempt, 1, "silo-a", null, "start from scratch"), Assert.Single(Starts(id))));

        await SucceedAsync("t0", 1, "silo-a");

        await EventuallyAsync(() => Task.FromResult(Starts("t2").Count), n => n == 1, "t2 placed in the slot t0 freed");
        Assert.Equal(["t0", "t1", "t2"], ids.Where(id => Starts(id).Count > 0));
        foreach (var id in new[] { "t1", "t2", "t3", "t4" })
        {
            await EventuallyAsync(() => Task.FromResult(Starts(id).Count), n => n == 1, $"{id} placed");
            await SucceedAsync(id, 1, "silo-a");
        }

        rows = await EventuallyAsync(() => RowsAsync(SweepId), r => r.All(t => t.State == TrialState.Succeeded), "every trial succeeded");
        Assert.All(rows, t => Assert.Equal(Summary(t.Id), t.SummaryJson));
        Assert.All(rows, t => Assert.Equal((1, AttemptState.Succeeded), (t.CurrentAttempt, t.Attempt!.State)));
        Assert.All(ids, id => Assert.Single(Starts(id)));
        view = await Scheduler.TickAsync();
        Assert.Empty(view.Queued);
        Assert.Empty(view.Allocations);
    }

    [Fact]
    public async Task Attempt_on_a_gone_silo_resumes_from_its_checkpoint_on_another_silo_and_its_late_calls_are_refused()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1));
        await SubmitAsync(SweepId, TestData.Trial("t"));
        var first = (await EventuallyAsync(() => Task.FromResult(Starts("t")), s => s.Count == 1, "attempt 1 placed"))[0];
        Assert.Equal((1, "silo-a"), (first.Attempt, first.SiloId));
        var trial = Grains.GetGrain<ITrialGrain>("t");
        await AcceptAsync(trial.AttemptStartedAsync(1, "silo-a"));
        await AcceptAsync(trial.ReportMetricsAsync(1, "silo-a", [Point(10, "loss.recon", 0.5)], new AttemptProgressReport { Step = 10, TotalSteps = 100 }));
        byte[] checkpoint = [1, 2, 3, 4, 5, 6, 7, 8];
        var stored = await AcceptAsync(trial.PutArtifactAsync(Artifact(1, "silo-a", ArtifactKinds.Checkpoint, "step-10.ckpt", checkpoint, 10)));
        var checkpointId = Assert.IsType<string>(stored.ArtifactId);
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1), TestData.CpuSilo("silo-b", slots: 1));

        _slots.MarkGone("silo-a");
        await Scheduler.TickAsync();

        var second = (await EventuallyAsync(() => Task.FromResult(Starts("t")), s => s.Count == 2, "attempt 2 placed"))[1];
        Assert.Equal((2, "silo-b", checkpointId), (second.Attempt, second.SiloId, second.CheckpointRef));
        var launch = await trial.GetLaunchAsync(2, "silo-b");
        Assert.True(launch.Accepted, launch.Message);
        Assert.Equal(checkpointId, launch.CheckpointRef);
        Assert.Equal(checkpoint, launch.Checkpoint);
        Assert.Equal(TestData.Trial("t").ConfigJson, launch.ConfigJson);
        var row = (await Store.GetTrialAsync("t", CancellationToken.None))!.Snapshot;
        Assert.Equal((TrialState.Placed, 2, "silo-b", checkpointId), (row.State, row.CurrentAttempt, row.Attempt!.SiloId, row.LastCheckpointArtifactId));

        var lateMetrics = await trial.ReportMetricsAsync(1, "silo-a", [Point(20, "loss.recon", 0.4)], new AttemptProgressReport { Step = 20 });
        var lateArtifact = await trial.PutArtifactAsync(Artifact(1, "silo-a", ArtifactKinds.Checkpoint, "step-20.ckpt", [9, 9], 20));
        var latePanel = await trial.PutArtifactAsync(Artifact(1, "silo-a", ArtifactKinds.Panel, "panel.png", [7], null));
        var lateLaunch = await trial.GetLaunchAsync(1, "silo-a");

        Assert.All([lateMetrics, lateArtifact, latePanel], reply => Assert.Equal((false, nameof(RefusalKind.StaleAttempt)), (reply.Accepted, reply.Refusal)));
        Assert.All([lateArtifact, latePanel], reply => Assert.Null(reply.ArtifactId));
        Assert.False(lateLaunch.Accepted);
        Assert.Null(lateLaunch.Checkpoint);
        var points = await Store.GetMetricPointsAsync("t", CancellationToken.None);
        Assert.Equal((1, 10L), (Assert.Single(points).Attempt, points[0].Point.Step));
        Assert.Equal(checkpointId, Assert.Single(await Store.ListArtifactsAsync("t", CancellationToken.None)).Id);
        Assert.Equal(checkpointId, (await trial.GetAsync()).State.CheckpointRef);
        Assert.Equal(checkpointId, (await Store.GetTrialAsync("t", CancellationToken.None))!.Snapshot.LastCheckpointArtifactId);
        Assert.Equal(checkpoint, (await trial.GetLaunchAsync(2, "silo-b")).Checkpoint);
    }

    [Fact]
    public async Task Failed_attempt_is_placed_again_as_the_next_attempt()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1));
        await SubmitAsync(SweepId, TestData.Trial("t", maxAttempts: 2));
        await EventuallyAsync(() => Task.FromResult(Starts("t").Count), n => n == 1, "attempt 1 placed");
        var trial = Grains.GetGrain<ITrialGrain>("t");
        await AcceptAsync(trial.AttemptStartedAsync(1, "silo-a"));

        var failed = await AcceptAsync(trial.AttemptEndedAsync(new AttemptEnd { Attempt = 1, SiloId = "silo-a", Outcome = AttemptOutcome.Failed, Error = "exit code 137" }));

        Assert.Equal(TrialPhase.Pending, failed.Phase);
        var second = (await EventuallyAsync(() => Task.FromResult(Starts("t")), s => s.Count == 2, "attempt 2 placed"))[1];
        Assert.Equal((2, "silo-a"), (second.Attempt, second.SiloId));
        await SucceedAsync("t", 2, "silo-a");
        var row = (await Store.GetTrialAsync("t", CancellationToken.None))!.Snapshot;
        Assert.Equal((TrialState.Succeeded, 2), (row.State, row.CurrentAttempt));
    }

    [Fact]
    public async Task Sweeps_submitted_together_never_give_one_slot_to_two_trials()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 4));
        var a = Enumerable.Range(0, 6).Select(i => TestData.Trial($"a{i}", order: i)).ToArray();
        var b = Enumerable.Range(0, 6).Select(i => TestData.Trial($"b{i}", order: i)).ToArray();

        await Task.WhenAll(SubmitAsync("sweep-a", a), SubmitAsync("sweep-b", b));

        await EventuallyAsync(async () => (await RowsAsync("sweep-a")).Concat(await RowsAsync("sweep-b")).Count(t => t.State == TrialState.Placed),
            n => n == 4, "four trials placed");
        var view = await EventuallyAsync(() => Scheduler.TickAsync(), v => v.Allocations.Length == 4 && v.Allocations.All(x => x.Confirmed), "four placements confirmed");
        var placed = (await RowsAsync("sweep-a")).Concat(await RowsAsync("sweep-b")).Where(t => t.State == TrialState.Placed).ToList();
        Assert.Equal(4, placed.Count);
        Assert.Equal(4, placed.SelectMany(t => t.Attempt!.SlotIds).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(placed.Select(t => (t.Id, t.Attempt!.SlotIds.Single())).OrderBy(x => x.Id, StringComparer.Ordinal),
            view.Allocations.Select(x => (x.TrialId, x.SlotIds.Single())));
        Assert.Equal(4, a.Concat(b).Sum(t => Starts(t.Id).Count));
    }

    [Fact]
    public async Task Trials_needing_labels_or_two_gpus_wait_with_the_reason_and_land_only_on_silos_that_have_them()
    {
        _slots.SetSilos(TestData.GpuSilo("one-gpu", 80), TestData.CpuSilo("plain", slots: 2));
        var twoGpus = TestData.Trial("two-gpus", order: 0, resources: ResourceRequest.Gpu(2));
        var labelled = TestData.Trial("needs-eu", order: 1, resources: new ResourceRequest(0, 0, TestData.Labels(("zone", "eu"))));
        var anywhere = TestData.Trial("anywhere", order: 2);

        await SubmitAsync(SweepId, twoGpus, labelled, anywhere);

        var rows = await EventuallyAsync(() => RowsAsync(SweepId),
            r => r.Single(t => t.Id == "anywhere").State == TrialState.Placed
                && r.Single(t => t.Id == "two-gpus").PendingReason == "needs 2 GPUs but the largest silo has 1"
                && r.Single(t => t.Id == "needs-eu").PendingReason == "needs label zone=eu: no silo has it",
            "the plain trial placed, the others waiting with the placer's reasons");
        Assert.All(rows.Where(t => t.Id != "anywhere"), t => Assert.Equal((TrialState.Pending, 0), (t.State, t.CurrentAttempt)));
        var view = await Scheduler.TickAsync();
        Assert.Equal<string>(["needs-eu", "two-gpus"], view.Queued);
        Assert.Equal("anywhere", Assert.Single(view.Allocations).TrialId);
        Assert.Empty(Starts("two-gpus"));
        Assert.Empty(Starts("needs-eu"));

        _slots.SetSilos(TestData.GpuSilo("one-gpu", 80), TestData.CpuSilo("plain", slots: 2), TestData.GpuSilo("two-gpu", 40, 40),
            TestData.CpuSilo("eu", slots: 1, TestData.Labels(("zone", "eu"))));
        await Scheduler.TickAsync();

        var gpuStart = Assert.Single(await EventuallyAsync(() => Task.FromResult(Starts("two-gpus")), s => s.Count == 1, "the two-GPU trial placed"));
        var euStart = Assert.Single(await EventuallyAsync(() => Task.FromResult(Starts("needs-eu")), s => s.Count == 1, "the labelled trial placed"));
        Assert.Equal("two-gpu", gpuStart.SiloId);
        Assert.Equal("eu", euStart.SiloId);
        Assert.Equal<string>(["gpu0", "gpu1"], (await Grains.GetGrain<ITrialGrain>("two-gpus").GetAsync()).State.Attempt!.SlotIds);
        rows = await EventuallyAsync(() => RowsAsync(SweepId), r => r.All(t => t.State == TrialState.Placed), "every trial placed");
        Assert.All(rows, t => Assert.Null(t.PendingReason));
    }

    [Fact]
    public async Task Reactivated_scheduler_rebuilds_its_queue_and_ledger_from_the_trial_rows()
    {
        var before = await TwoOfFourTrialsPlacedAsync();

        await Cluster.DeactivateAsync(Scheduler);
        // What every silo does about once a second; it also brings the scheduler back after its silo died.
        var ticked = await Scheduler.TickAsync();

        Assert.Equal<string>(["t2", "t3"], ticked.Queued);
        Assert.Equal(Held(before), Held(ticked));
        Assert.All(ticked.Allocations, a => Assert.True(a.Confirmed));
        Assert.Equal(Held(before), Held(await Scheduler.GetAsync()));
        // Nothing was placed again: finishing t0 places t2, and only t2, once.
        await SucceedAsync("t0", 1, "silo-a");
        await EventuallyAsync(() => Task.FromResult(Starts("t2").Count), n => n == 1, "t2 placed in the slot t0 freed");
        var after = await Scheduler.GetAsync();
        Assert.Equal([("t1", 1, "silo-a", "cpu1"), ("t2", 1, "silo-a", "cpu0")], Held(after));
        Assert.Equal<string>(["t3"], after.Queued);
        Assert.All(["t0", "t1", "t2"], id => Assert.Single(Starts(id)));
        Assert.Empty(Starts("t3"));
    }

    [Fact]
    public async Task Freshly_activated_scheduler_answers_a_status_read_from_the_trial_rows()
    {
        var before = await TwoOfFourTrialsPlacedAsync();

        await Cluster.DeactivateAsync(Scheduler);
        var read = await Scheduler.GetAsync();

        Assert.Equal(Held(before), Held(read));
        Assert.Equal<string>(["t2", "t3"], read.Queued);
    }

    [Fact]
    public async Task Diverged_loss_fails_the_trial_and_its_slot_goes_to_the_next_trial()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1));
        await SubmitAsync(SweepId, TestData.Trial("diverges", order: 0), TestData.Trial("next", order: 1));
        await EventuallyAsync(() => Task.FromResult(Starts("diverges").Count), n => n == 1, "the first trial placed");
        var trial = Grains.GetGrain<ITrialGrain>("diverges");
        await AcceptAsync(trial.AttemptStartedAsync(1, "silo-a"));

        var reply = await AcceptAsync(trial.ReportMetricsAsync(1, "silo-a",
            [Point(40, "loss.recon", 0.3), Point(50, "psnr", 21.5), Point(50, "loss.recon", double.NaN)],
            new AttemptProgressReport { Step = 50 }));

        const string Reason = "diverged at step 50 (loss.recon = NaN)";
        Assert.Equal(TrialPhase.Failed, reply.Phase);
        Assert.Equal(Reason, (await trial.GetAsync()).State.FailureReason);
        Assert.Contains(new TrialDecision(TrialDecisionKind.StopAttempt, 1, "silo-a", null, Reason), _decisions.For("diverges"));
        var next = Assert.Single(await EventuallyAsync(() => Task.FromResult(Starts("next")), s => s.Count == 1, "the next trial placed in the freed slot"));
        Assert.Equal((1, "silo-a"), (next.Attempt, next.SiloId));
        Assert.Equal<string>(["cpu0"], (await Grains.GetGrain<ITrialGrain>("next").GetAsync()).State.Attempt!.SlotIds);
        var row = (await Store.GetTrialAsync("diverges", CancellationToken.None))!.Snapshot;
        Assert.Equal((TrialState.Failed, AttemptState.Failed, Reason), (row.State, row.Attempt!.State, row.Attempt.Error));
        var view = await Scheduler.GetAsync();
        Assert.Equal("next", Assert.Single(view.Allocations).TrialId);
        Assert.Single(Starts("diverges"));
    }

    [Fact]
    public async Task Cancelled_sweep_stops_its_running_trial_and_frees_its_slot()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1));
        await SubmitAsync(SweepId, TestData.Trial("running", order: 0));
        await EventuallyAsync(() => Task.FromResult(Starts("running").Count), n => n == 1, "the trial placed");
        await AcceptAsync(Grains.GetGrain<ITrialGrain>("running").AttemptStartedAsync(1, "silo-a"));

        var reply = await Grains.GetGrain<ISweepGrain>(SweepId).CancelAsync();

        Assert.True(reply.Accepted, reply.Message);
        Assert.Equal(1, reply.Cancelled);
        Assert.Equal(new TrialDecision(TrialDecisionKind.StopAttempt, 1, "silo-a", null, "trial cancelled"), _decisions.For("running")[^1]);
        Assert.Equal(TrialPhase.Cancelled, (await Grains.GetGrain<ITrialGrain>("running").GetAsync()).State.Phase);
        var row = (await Store.GetTrialAsync("running", CancellationToken.None))!.Snapshot;
        Assert.Equal((TrialState.Cancelled, AttemptState.Cancelled), (row.State, row.Attempt!.State));
        var view = await Scheduler.TickAsync();
        Assert.Empty(view.Allocations);
        Assert.Empty(view.Queued);
        // The freed slot takes another sweep's trial.
        await SubmitAsync("sweep-2", TestData.Trial("other"));
        await EventuallyAsync(() => Task.FromResult(Starts("other").Count), n => n == 1, "another sweep's trial placed in the freed slot");
    }

    [Fact]
    public async Task Cancelled_sweep_never_places_its_pending_trials()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 1));
        await SubmitAsync(SweepId, TestData.Trial("running", order: 0), TestData.Trial("pending-1", order: 1), TestData.Trial("pending-2", order: 2));
        await EventuallyAsync(() => RowsAsync(SweepId), r => r.Count(t => t.State == TrialState.Placed) == 1 && r.Count(t => t.PendingReason == "waiting for a free slot") == 2,
            "one trial placed, two waiting");
        await AcceptAsync(Grains.GetGrain<ITrialGrain>("running").AttemptStartedAsync(1, "silo-a"));

        var reply = await Grains.GetGrain<ISweepGrain>(SweepId).CancelAsync();

        Assert.True(reply.Accepted, reply.Message);
        // The slot is free only if no cancelled trial took it: another sweep's trial placed there proves it.
        await SubmitAsync("sweep-2", TestData.Trial("other"));
        await EventuallyAsync(() => Task.FromResult(Starts("other").Count), n => n == 1, "another sweep's trial placed in the freed slot");
        Assert.Empty(Starts("pending-1"));
        Assert.Empty(Starts("pending-2"));
        var rows = await RowsAsync(SweepId);
        Assert.All(rows, t => Assert.Equal(TrialState.Cancelled, t.State));
        Assert.All(rows.Where(t => t.Id != "running"), t => Assert.Equal(0, t.CurrentAttempt));
        var view = await Scheduler.TickAsync();
        Assert.Equal(["other"], view.Allocations.Select(a => a.TrialId));
        Assert.Empty(view.Queued);
    }

    [Fact]
    public async Task Placed_trial_is_read_back_with_its_definition_by_a_fresh_activation_and_runs_on()
    {
        _slots.SetSilos(TestData.CpuSilo("eu", slots: 1, TestData.Labels(("zone", "eu"))));
        await SubmitAsync(SweepId, TestData.Trial("t", maxAttempts: 2, priority: 3, resources: new ResourceRequest(0, 0, TestData.Labels(("zone", "eu")))));
        await EventuallyAsync(() => Task.FromResult(Starts("t").Count), n => n == 1, "the trial placed");
        var trial = Grains.GetGrain<ITrialGrain>("t");
        var placed = await trial.GetAsync();

        await Cluster.DeactivateAsync(trial);
        var read = await trial.GetAsync();

        Assert.Equal(placed.ETag, read.ETag);
        Assert.Equal((TrialPhase.Placed, 1, "eu"), (read.State.Phase, read.State.CurrentAttempt, read.State.Attempt!.SiloId));
        var definition = Assert.IsType<TrialDefinition>(read.State.Definition);
        Assert.Equal((SweepId, 2, 3), (definition.SweepId, definition.MaxAttempts, definition.Priority));
        Assert.Equal("eu", definition.Resources.Labels["zone"]);
        await SucceedAsync("t", 1, "eu");
        Assert.Equal(TrialState.Succeeded, (await Store.GetTrialAsync("t", CancellationToken.None))!.Snapshot.State);
    }

    /// <summary>Four trials on one silo with two slots: t0 (running) and t1 (placed) hold the slots, t2 and t3 wait.</summary>
    private async Task<SchedulerView> TwoOfFourTrialsPlacedAsync()
    {
        _slots.SetSilos(TestData.CpuSilo("silo-a", slots: 2));
        await SubmitAsync(SweepId, [.. new[] { "t0", "t1", "t2", "t3" }.Select((id, i) => TestData.Trial(id, order: i))]);
        await EventuallyAsync(() => RowsAsync(SweepId), r => r.Count(t => t.State == TrialState.Placed) == 2, "two trials placed");
        await AcceptAsync(Grains.GetGrain<ITrialGrain>("t0").AttemptStartedAsync(1, "silo-a"));
        var placed = await EventuallyAsync(() => Scheduler.GetAsync(), v => v.Allocations.All(a => a.Confirmed), "both placements confirmed");
        Assert.Equal([("t0", 1, "silo-a", "cpu0"), ("t1", 1, "silo-a", "cpu1")], Held(placed));
        Assert.Equal<string>(["t2", "t3"], placed.Queued);
        return placed;
    }

    private async Task SubmitAsync(string sweepId, params NewTrial[] trials)
    {
        var reply = await Grains.GetGrain<ISweepGrain>(sweepId).SubmitAsync(TestData.Sweep(sweepId), [.. trials]);
        Assert.True(reply.Accepted, reply.Message);
        Assert.Equal(trials.Length, reply.Submitted!.TrialsAdded);
    }

    private async Task SucceedAsync(string trialId, int attempt, string siloId)
    {
        var trial = Grains.GetGrain<ITrialGrain>(trialId);
        await AcceptAsync(trial.AttemptStartedAsync(attempt, siloId));
        var ended = await AcceptAsync(trial.AttemptEndedAsync(new AttemptEnd
        {
            Attempt = attempt,
            SiloId = siloId,
            Outcome = AttemptOutcome.Succeeded,
            SummaryJson = Summary(trialId),
        }));
        Assert.Equal(TrialPhase.Succeeded, ended.Phase);
    }

    private IReadOnlyList<TrialDecision> Starts(string trialId) =>
        [.. _decisions.For(trialId).Where(d => d.Kind == TrialDecisionKind.StartAttempt)];

    private async Task<IReadOnlyList<TrialSnapshot>> RowsAsync(string sweepId) =>
        [.. (await Store.ListTrialsAsync(sweepId, CancellationToken.None)).Select(t => t.Snapshot)];

    private static string Summary(string trialId) => $$"""{"trial":"{{trialId}}","psnr":31.5}""";

    private static (string TrialId, int Attempt, string SiloId, string Slots)[] Held(SchedulerView view) =>
        [.. view.Allocations.Select(a => (a.TrialId, a.Attempt, a.SiloId, string.Join(",", a.SlotIds)))];

    private static MetricRecord Point(long step, string name, double value) => new() { Step = step, Name = name, Value = value };

    private static AttemptArtifact Artifact(int attempt, string siloId, string kind, string name, byte[] content, long? step) => new()
    {
        Attempt = attempt,
        SiloId = siloId,
        Kind = kind,
        Name = name,
        Content = content,
        Step = step,
    };

    /// <summary>Reads until <paramref name="done"/> holds, for at most <see cref="Patience"/>: placement is asynchronous.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Patience)
            {
                Assert.Fail($"Not within {Patience.TotalSeconds} s: {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
