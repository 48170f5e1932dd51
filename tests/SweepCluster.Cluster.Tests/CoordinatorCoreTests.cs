using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>Whole trial journeys through the coordinator, on a real SQLite store and a fake clock.</summary>
[Trait("Category", "Integration")]
public sealed class CoordinatorCoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly CoordinatorOptions Options = new() { LeaseTtl = TimeSpan.FromSeconds(30), SiloTimeout = TimeSpan.FromMinutes(2) };

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweepcluster-coordinator-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(TestData.T0);
    private SqliteTrialStore _store = null!;
    private CoordinatorCore _coordinator = null!;

    public async Task InitializeAsync()
    {
        _store = await SqliteTrialStore.OpenAsync(Path.Combine(_directory, "store.db"), _clock, None);
        _coordinator = new CoordinatorCore(_store, _clock, Options);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Trial_runs_from_submission_to_success()
    {
        await SubmitAsync(TestData.Trial("t1"));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));

        var claim = Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        Assert.Equal(("t1", 1, "cpu0"), (claim.TrialId, claim.Attempt, Assert.Single(claim.Slots).Id));
        Assert.Equal(TestData.Trial("t1").ConfigJson, claim.ConfigJson);
        Assert.Equal(TestData.Trial("t1").ConfigName, claim.ConfigName);
        Assert.Null(claim.ResumeCheckpointArtifactId);
        Assert.Equal(TestData.T0 + Options.LeaseTtl, claim.LeaseExpiresAt);

        _clock.Advance(TimeSpan.FromSeconds(10));
        var beat = Assert.Single((await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t1", 1, new AttemptProgress(10, 20, 0))], None)).Value);
        Assert.Equal(HeldAttemptVerdict.Continue, beat.Verdict);
        Assert.Equal(_clock.GetUtcNow() + Options.LeaseTtl, beat.LeaseExpiresAt);

        var added = await _coordinator.ReportMetricsAsync("silo-a", "t1", 1, [new MetricPoint(10, "loss", 0.4, 0, "train"), new MetricPoint(20, "loss", 0.3, 1, "train")], None);
        var retried = await _coordinator.ReportMetricsAsync("silo-a", "t1", 1, [new MetricPoint(20, "loss", 0.3, 1, "train")], None);
        Assert.Equal(2, added.Value);
        Assert.Equal(0, retried.Value);

        var done = await _coordinator.CompleteAsync("silo-a", "t1", 1, """{"psnr":31.5}""", None);
        var doneAgain = await _coordinator.CompleteAsync("silo-a", "t1", 1, """{"psnr":31.5}""", None);

        Assert.Equal(TrialState.Succeeded, done.Value.State);
        Assert.True(doneAgain.IsAccepted);
        var trial = Assert.Single(await _coordinator.ListTrialsAsync("sweep-1", None));
        Assert.Equal(TrialState.Succeeded, trial.Snapshot.State);
        Assert.Equal("""{"psnr":31.5}""", trial.Snapshot.SummaryJson);
        Assert.Equal(new AttemptProgress(10, 20, 0), trial.Snapshot.Attempt!.Progress);
        Assert.Equal([0.4, 0.3], (await _coordinator.GetMetricPointsAsync("t1", None)).Select(p => p.Point.Value));
        Assert.Equal(1, (await _coordinator.GetSweepAsync("sweep-1", None))!.TrialCounts[TrialState.Succeeded]);
        Assert.Equal(
            ["attempt.leased", "attempt.running", "attempt.succeeded"],
            (await _coordinator.ListEventsAsync(new EventQuery(TrialId: "t1"), None)).Select(e => e.Kind));
    }

    [Fact]
    public async Task Lost_silo_lease_expires_and_the_next_attempt_resumes_from_the_last_checkpoint()
    {
        await SubmitAsync(TestData.Trial("t1"));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await RegisterAsync(TestData.CpuSilo("silo-b", slots: 1));
        var first = Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t1", 1, null)], None);
        await _coordinator.ReportMetricsAsync("silo-a", "t1", 1, [new MetricPoint(100, "loss", 0.2, 1, "train")], None);
        var checkpoint = await _coordinator.PutArtifactAsync("silo-a", new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "epoch-1.ckpt", new byte[] { 1, 2, 3, 4 }), None);

        // silo-a dies: no more heartbeats. Just before the lease runs out nothing happens.
        _clock.Advance(Options.LeaseTtl - TimeSpan.FromSeconds(1));
        Assert.Empty(await _coordinator.ExpireLeasesAsync(None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var expired = Assert.Single(await _coordinator.ExpireLeasesAsync(None));
        Assert.Equal((TrialState.Pending, AttemptState.Lost), (expired.State, expired.Attempt!.State));

        var second = Assert.Single((await _coordinator.ClaimAsync("silo-b", ["cpu0"], None)).Value);

        Assert.Equal(first.TrialId, second.TrialId);
        Assert.Equal(2, second.Attempt);
        Assert.Equal(checkpoint.Value.Id, second.ResumeCheckpointArtifactId);
        Assert.Equal([1, 2, 3, 4], (await _coordinator.GetArtifactAsync(second.ResumeCheckpointArtifactId!, None)).Value.Content.ToArray());

        // silo-a comes back and reports on its old attempt: refused, nothing changes.
        var before = (await _coordinator.GetTrialAsync("t1", None))!.Snapshot;
        var eventCount = (await _coordinator.ListEventsAsync(new EventQuery(), None)).Count;
        var lateMetrics = await _coordinator.ReportMetricsAsync("silo-a", "t1", 1, [new MetricPoint(200, "loss", 0.1, 2, "train")], None);
        var lateCheckpoint = await _coordinator.PutArtifactAsync("silo-a", new ArtifactUpload("t1", 1, ArtifactKinds.Checkpoint, "epoch-2.ckpt", new byte[] { 5 }), None);
        var lateComplete = await _coordinator.CompleteAsync("silo-a", "t1", 1, "{}", None);
        var lateFail = await _coordinator.FailAsync("silo-a", "t1", 1, "late", None);
        var lateBeat = Assert.Single((await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t1", 1, null)], None)).Value);

        Assert.All([lateMetrics.Refusal, lateCheckpoint.Refusal, lateComplete.Refusal, lateFail.Refusal], r => Assert.Equal(RefusalKind.StaleAttempt, r?.Kind));
        Assert.Equal(HeldAttemptVerdict.Release, lateBeat.Verdict);
        var after = (await _coordinator.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal((before.State, before.CurrentAttempt, before.LastCheckpointArtifactId, before.Attempt!.State, before.Attempt.LeaseExpiresAt),
            (after.State, after.CurrentAttempt, after.LastCheckpointArtifactId, after.Attempt!.State, after.Attempt.LeaseExpiresAt));
        Assert.Single(await _coordinator.GetMetricPointsAsync("t1", None));
        Assert.Single(await _coordinator.ListArtifactsAsync("t1", None));
        Assert.Equal(eventCount, (await _coordinator.ListEventsAsync(new EventQuery(), None)).Count);

        // The new holder finishes the trial.
        Assert.True((await _coordinator.CompleteAsync("silo-b", "t1", 2, "{}", None)).IsAccepted);
        Assert.Equal([AttemptState.Lost, AttemptState.Succeeded], (await _coordinator.ListAttemptsAsync("t1", None)).Select(a => a.State));
    }

    [Fact]
    public async Task Crashing_attempts_retry_until_max_attempts_then_the_trial_fails()
    {
        await SubmitAsync(TestData.Trial("t1", maxAttempts: 2));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var claim = Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
            Assert.Equal(attempt, claim.Attempt);
            Assert.True((await _coordinator.FailAsync("silo-a", "t1", attempt, "child exited with code 139", None)).IsAccepted);
        }

        Assert.Empty((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        var trial = (await _coordinator.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal(TrialState.Failed, trial.State);
        Assert.Equal("child exited with code 139", trial.Attempt!.Error);
    }

    [Fact]
    public async Task Diverged_attempt_fails_the_trial_without_a_retry()
    {
        await SubmitAsync(TestData.Trial("t1", maxAttempts: 3));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        await _coordinator.ReportMetricsAsync("silo-a", "t1", 1, [new MetricPoint(12, "loss.cross", double.NaN, 1, "step")], None);

        var failed = await _coordinator.FailDivergedAsync("silo-a", "t1", 1, new Divergence(12, "loss.cross", double.NaN), None);

        Assert.Equal(TrialState.Failed, failed.Value.State);
        Assert.Empty((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        var trial = (await _coordinator.GetTrialAsync("t1", None))!.Snapshot;
        Assert.Equal((TrialState.Failed, 1), (trial.State, trial.CurrentAttempt));
        Assert.Equal("diverged at step 12 (loss.cross = NaN)", trial.Attempt!.Error);
        Assert.True(double.IsNaN(Assert.Single(await _coordinator.GetMetricPointsAsync("t1", None)).Point.Value));
        Assert.True((await _coordinator.FailDivergedAsync("silo-a", "t1", 1, new Divergence(12, "loss.cross", double.NaN), None)).IsAccepted);
        Assert.Equal(RefusalKind.Invalid, (await _coordinator.FailDivergedAsync("silo-a", "t1", 1, new Divergence(12, "loss.cross", 0.5), None)).Refusal?.Kind);
    }

    [Fact]
    public async Task Report_from_a_silo_that_does_not_hold_the_attempt_is_refused()
    {
        await SubmitAsync(TestData.Trial("t1"));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await RegisterAsync(TestData.CpuSilo("silo-b", slots: 1));
        await _coordinator.ClaimAsync("silo-a", ["cpu0"], None);

        var metrics = await _coordinator.ReportMetricsAsync("silo-b", "t1", 1, [new MetricPoint(1, "loss", 1, 0, "train")], None);
        var complete = await _coordinator.CompleteAsync("silo-b", "t1", 1, "{}", None);

        Assert.Equal(RefusalKind.NotHolder, metrics.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotHolder, complete.Refusal?.Kind);
        Assert.Equal(TrialState.Leased, (await _coordinator.GetTrialAsync("t1", None))!.Snapshot.State);
        Assert.Empty(await _coordinator.GetMetricPointsAsync("t1", None));
    }

    [Fact]
    public async Task Cancelled_sweep_tells_the_silo_to_stop_its_attempts()
    {
        await SubmitAsync(TestData.Trial("t1", order: 0), TestData.Trial("t2", order: 1));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await _coordinator.ClaimAsync("silo-a", ["cpu0"], None);

        var cancelled = await _coordinator.CancelSweepAsync("sweep-1", None);
        var beat = Assert.Single((await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t1", 1, null)], None)).Value);

        Assert.Equal(2, cancelled.Value);
        Assert.Equal(HeldAttemptVerdict.Cancel, beat.Verdict);
        Assert.All(await _coordinator.ListTrialsAsync("sweep-1", None), t => Assert.Equal(TrialState.Cancelled, t.Snapshot.State));
        Assert.Empty((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        Assert.Equal(RefusalKind.NotFound, (await _coordinator.CancelSweepAsync("nope", None)).Refusal?.Kind);
    }

    [Fact]
    public async Task Resubmitting_a_sweep_keeps_finished_trials_and_adds_new_ones()
    {
        await SubmitAsync(TestData.Trial("t1"));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await _coordinator.ClaimAsync("silo-a", ["cpu0"], None);
        await _coordinator.CompleteAsync("silo-a", "t1", 1, """{"psnr":30}""", None);

        var again = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t2", order: 1)], None);

        Assert.Equal((2, (int?)1, 1, 0, 1), (again.Value.Revision, again.Value.PreviousRevision, again.Value.TrialsAdded, again.Value.TrialsRemoved, again.Value.TrialsKept));
        var claim = Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        Assert.Equal("t2", claim.TrialId);
        Assert.Equal("""{"psnr":30}""", (await _coordinator.GetTrialAsync("t1", None))!.Snapshot.SummaryJson);
    }

    [Fact]
    public async Task A_revision_cancels_a_removed_running_trial_which_is_never_claimed_or_reported_and_listing_it_again_brings_it_back()
    {
        NewTrial[] first = [TestData.Trial("t1", order: 0), TestData.Trial("t2", order: 1), TestData.Trial("t3", order: 2)];
        await SubmitAsync(first);
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await RunToSuccessAsync("t1", 1);
        Assert.Equal("t2", Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value).TrialId);
        await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t2", 1, null)], None);
        var checkpoint = await _coordinator.PutArtifactAsync("silo-a", new ArtifactUpload("t2", 1, ArtifactKinds.Checkpoint, "epoch-1.ckpt", new byte[] { 1, 2 }), None);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var second = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [first[0], first[2], TestData.Trial("t4", order: 3)], None);

        Assert.Equal("revision 2 (was 1): 1 trial added, 1 removed (1 cancelled), 2 kept", second.Value.Describe());
        var removed = (await _coordinator.GetTrialAsync("t2", None))!.Snapshot;
        Assert.Equal((TrialState.Cancelled, AttemptState.Cancelled, (int?)2), (removed.State, removed.Attempt!.State, removed.RemovedInRevision));
        Assert.Contains(await _coordinator.ListEventsAsync(new EventQuery(TrialId: "t2"), None),
            e => e.Kind == "trial.removed" && e.Message.Contains("removed from the sweep in revision 2", StringComparison.Ordinal));
        Assert.Equal(HeldAttemptVerdict.Cancel, Assert.Single((await _coordinator.HeartbeatAsync("silo-a", [new HeldAttempt("t2", 1, null)], None)).Value).Verdict);
        Assert.Equal(RefusalKind.StaleAttempt, (await _coordinator.CompleteAsync("silo-a", "t2", 1, "{}", None)).Refusal?.Kind);

        // The silo works through the sweep: the removed trial is never offered.
        var claimed = new List<string>();
        while ((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value is [var next])
        {
            claimed.Add(next.TrialId);
            Assert.True((await _coordinator.CompleteAsync("silo-a", next.TrialId, next.Attempt, """{"psnr":30}""", None)).IsAccepted);
        }

        Assert.Equal(["t3", "t4"], claimed);
        var sweep = (await _coordinator.GetSweepAsync("sweep-1", None))!;
        Assert.Equal((2, 3), (sweep.Revision, sweep.TrialCounts.Values.Sum()));
        Assert.False(sweep.TrialCounts.ContainsKey(TrialState.Cancelled));
        var matrix = (await TestMatrixLoader.LoadAsync(_store, "sweep-1", includePanels: false, rule: null, None))!.Matrix;
        Assert.Equal(["config-t1", "config-t3", "config-t4"], matrix.Rows.Select(r => r.ConfigName));

        // Listed again: pending, resuming from its checkpoint as attempt 2; t1's result is reused, not run again.
        var third = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [.. first, TestData.Trial("t4", order: 3)], None);

        Assert.Equal((3, 1, 0, 3), (third.Value.Revision, third.Value.TrialsAdded, third.Value.TrialsRemoved, third.Value.TrialsKept));
        var back = Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        Assert.Equal(("t2", 2, checkpoint.Value.Id), (back.TrialId, back.Attempt, back.ResumeCheckpointArtifactId));
        Assert.True((await _coordinator.CompleteAsync("silo-a", "t2", 2, """{"psnr":30}""", None)).IsAccepted);
        Assert.Empty((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value);
        Assert.Single(await _coordinator.ListAttemptsAsync("t1", None));
        matrix = (await TestMatrixLoader.LoadAsync(_store, "sweep-1", includePanels: false, rule: null, None))!.Matrix;
        Assert.Equal(["config-t1", "config-t2", "config-t3", "config-t4"], matrix.Rows.Select(r => r.ConfigName));
    }

    [Fact]
    public async Task A_claim_for_one_sweep_passes_over_the_pending_trials_of_another_and_leaves_them_alone()
    {
        // The embedded run of one sweep file must not run what an interrupted run of another left pending.
        await _coordinator.SubmitSweepAsync(TestData.Sweep("old"), [TestData.Trial("old-1"), TestData.Trial("old-2", order: 1)], None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await _coordinator.SubmitSweepAsync(TestData.Sweep("new"), [TestData.Trial("new-1")], None);
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));

        var claimed = (await _coordinator.ClaimAsync("silo-a", ["cpu0"], "new", None)).Value;

        Assert.Equal("new-1", Assert.Single(claimed).TrialId);
        var old = await _coordinator.ListTrialsAsync("old", None);
        Assert.All(old, t => Assert.Equal(TrialState.Pending, t.Snapshot.State));
        Assert.All(old, t => Assert.Equal("queued; not yet offered to a silo", t.Snapshot.PendingReason));
        Assert.Empty((await _coordinator.ClaimAsync("silo-a", [], "new", None)).Value);
    }

    [Fact]
    public async Task Trials_left_pending_by_a_claim_get_readable_reasons()
    {
        var zoned = TestData.Trial("zoned", order: 0, resources: new ResourceRequest(0, 0, TestData.Labels(("zone", "a"))));
        var big = TestData.Trial("big", order: 1, resources: ResourceRequest.Gpu(1, 40));
        await SubmitAsync(zoned, big, TestData.Trial("cpu1", order: 2), TestData.Trial("cpu2", order: 3), TestData.Trial("cpu3", order: 4));
        Assert.Equal("queued; not yet offered to a silo", (await _coordinator.GetTrialAsync("big", None))!.Snapshot.PendingReason);
        await RegisterAsync(TestData.GpuSilo("gpu-box", 24));
        await RegisterAsync(TestData.CpuSilo("cpu-box", slots: 1));

        var claimed = (await _coordinator.ClaimAsync("cpu-box", ["cpu0"], None)).Value;

        Assert.Equal("cpu1", Assert.Single(claimed).TrialId);
        var reasons = (await _coordinator.ListTrialsAsync("sweep-1", None)).ToDictionary(t => t.Definition.Id, t => t.Snapshot.PendingReason);
        Assert.Equal("needs label zone=a: no silo has it", reasons["zoned"]);
        Assert.Equal("needs 40 GiB GPU memory; the largest GPU has 24 GiB", reasons["big"]);
        Assert.Equal("waiting for a free slot", reasons["cpu2"]);
        Assert.Equal("waiting for a free slot", reasons["cpu3"]);
        Assert.Null(reasons["cpu1"]);
    }

    [Fact]
    public async Task Silent_silos_do_not_count_as_capacity()
    {
        await SubmitAsync(TestData.Trial("t1", resources: ResourceRequest.Gpu(2)));
        await RegisterAsync(TestData.GpuSilo("big", 80, 80));
        _clock.Advance(Options.SiloTimeout + TimeSpan.FromSeconds(1));
        await RegisterAsync(TestData.GpuSilo("small", 80));

        await _coordinator.ClaimAsync("small", ["gpu0"], None);

        Assert.Equal("needs 2 GPUs but the largest silo has 1", (await _coordinator.GetTrialAsync("t1", None))!.Snapshot.PendingReason);
    }

    [Fact]
    public async Task Multi_gpu_claim_returns_every_slot_of_the_attempt()
    {
        await SubmitAsync(TestData.Trial("t1", resources: ResourceRequest.Gpu(2, 40)));
        await RegisterAsync(TestData.GpuSilo("box", 24, 80, 80));

        var claim = Assert.Single((await _coordinator.ClaimAsync("box", ["gpu0", "gpu1", "gpu2"], None)).Value);

        Assert.Equal([1, 2], claim.Slots.Select(s => s.GpuIndex!.Value).Order());
    }

    [Fact]
    public async Task Bad_requests_are_refused_and_change_nothing()
    {
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));

        var duplicate = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1"), TestData.Trial("t1")], None);
        var badConfig = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1") with { ConfigJson = "{not json" }], None);
        var noAttempts = await _coordinator.SubmitSweepAsync(TestData.Sweep(), [TestData.Trial("t1", maxAttempts: 0)], None);
        var unknownSilo = await _coordinator.ClaimAsync("ghost", ["cpu0"], None);
        var unknownSlot = await _coordinator.ClaimAsync("silo-a", ["gpu7"], None);
        var noSlots = await _coordinator.RegisterSiloAsync(TestData.CpuSilo("empty", slots: 0), None);
        var unknownHeartbeat = await _coordinator.HeartbeatAsync("ghost", [], None);
        var missingArtifact = await _coordinator.GetArtifactAsync("missing", None);

        Assert.Equal(RefusalKind.Invalid, duplicate.Refusal?.Kind);
        Assert.Equal(RefusalKind.Invalid, badConfig.Refusal?.Kind);
        Assert.Equal(RefusalKind.Invalid, noAttempts.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, unknownSilo.Refusal?.Kind);
        Assert.Equal(RefusalKind.Invalid, unknownSlot.Refusal?.Kind);
        Assert.Equal(RefusalKind.Invalid, noSlots.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, unknownHeartbeat.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, missingArtifact.Refusal?.Kind);
        Assert.Empty(await _coordinator.ListSweepsAsync(None));
        Assert.Single(await _coordinator.ListSilosAsync(None));
    }

    [Fact]
    public async Task Invalid_summary_is_refused_and_the_attempt_keeps_running()
    {
        await SubmitAsync(TestData.Trial("t1"));
        await RegisterAsync(TestData.CpuSilo("silo-a", slots: 1));
        await _coordinator.ClaimAsync("silo-a", ["cpu0"], None);

        var outcome = await _coordinator.CompleteAsync("silo-a", "t1", 1, "psnr=31", None);

        Assert.Equal(RefusalKind.Invalid, outcome.Refusal?.Kind);
        Assert.Equal(TrialState.Leased, (await _coordinator.GetTrialAsync("t1", None))!.Snapshot.State);
    }

    private async Task RunToSuccessAsync(string trialId, int attempt)
    {
        Assert.Equal(trialId, Assert.Single((await _coordinator.ClaimAsync("silo-a", ["cpu0"], None)).Value).TrialId);
        Assert.True((await _coordinator.CompleteAsync("silo-a", trialId, attempt, """{"psnr":30}""", None)).IsAccepted);
    }

    private async Task SubmitAsync(params NewTrial[] trials)
    {
        var outcome = await _coordinator.SubmitSweepAsync(TestData.Sweep(), trials, None);
        Assert.True(outcome.IsAccepted, outcome.ToString());
    }

    private async Task RegisterAsync(SiloInfo silo)
    {
        var outcome = await _coordinator.RegisterSiloAsync(silo, None);
        Assert.True(outcome.IsAccepted, outcome.ToString());
    }
}
