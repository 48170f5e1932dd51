using System.Diagnostics;
using System.Text;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using Xunit.Abstractions;

namespace SweepCluster.Silo.Tests;

/// <summary>
/// The runner on a trainer silo (<see cref="SlotRunner"/>) in a one-silo in-process cluster with the product's grains,
/// scheduler and a real SQLite store: trials are submitted through their sweep grain, placed by the scheduler on the
/// runner's slots, run as shell-script children printing trainer events, and reported to their trial grains.
/// </summary>
[Trait("Category", "Integration")]
public sealed class SlotRunnerTests(ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A child that says it is at step 1 and then runs until killed.</summary>
    private const string RunsUntilKilled = """
        echo '{"type":"progress","epoch":1,"epochs":1,"step":1,"steps":10}'
        exec sleep 60
        """;

    /// <summary>A label no silo has: the scheduler never places such a trial, so a test can place it by hand.</summary>
    private static readonly ResourceRequest Unplaceable = new(0, 0, new Dictionary<string, string> { ["zone"] = "nowhere" });

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Submitted_trials_run_on_the_runners_slots_and_succeed_with_their_summaries_and_points_stored_once()
    {
        var launcher = new ScriptLauncher(_ => ScriptLauncher.Succeeding(points: 5));
        await using var cluster = await RunnerCluster.StartAsync(output, launcher, slots: 2);
        var sweepId = NewId("sweep");

        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0), RunnerCluster.Trial(sweepId, 1), RunnerCluster.Trial(sweepId, 2));

        foreach (var index in new[] { 0, 1, 2 })
        {
            var trialId = $"{sweepId}-t{index}";
            var row = await cluster.WaitForRowAsync(trialId, r => r.Snapshot.IsFinal, $"trial {trialId} finished");
            Assert.Equal(TrialState.Succeeded, row.Snapshot.State);
            Assert.Equal("""{"scalars":{"psnr_cross":27.5} }""", row.Snapshot.SummaryJson);
            Assert.Equal(AttemptState.Succeeded, Assert.Single(await cluster.Store.ListAttemptsAsync(trialId, None)).State);

            // Every point once, with its value, from the one attempt; each batch the runner sent carried new points only.
            var points = await cluster.Store.GetMetricPointsAsync(trialId, None);
            Assert.Equal([1L, 2, 3, 4, 5], points.Select(p => p.Point.Step));
            Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5], points.Select(p => p.Point.Value));
            Assert.All(points, p => Assert.Equal(("loss.total", 1), (p.Point.Name, p.Attempt)));
            Assert.Equal(5, cluster.Calls.For(trialId, 1).Where(c => c.Method == nameof(ITrialGrain.ReportMetricsAsync)).Sum(c => c.Points));

            // The checkpoint is the resume point; a file outside the attempt directory is never uploaded.
            var artifacts = await cluster.Store.ListArtifactsAsync(trialId, None);
            Assert.Equal(["checkpoint", "panel"], artifacts.Select(a => a.Kind).Order());
            var checkpoint = artifacts.Single(a => a.Kind == ArtifactKinds.Checkpoint);
            Assert.Equal(checkpoint.Id, row.Snapshot.LastCheckpointArtifactId);
            Assert.Equal("checkpoint-of-attempt-1", Encoding.UTF8.GetString((await cluster.Store.GetArtifactAsync(checkpoint.Id, None))!.Content.Span));
            Assert.DoesNotContain(artifacts, a => a.Name == "outside");

            var state = (await cluster.GrainAsync(trialId)).State;
            Assert.Equal((TrialPhase.Succeeded, 1, cluster.SiloId), (state.Phase, state.CurrentAttempt, state.Attempt!.SiloId));
        }

        var started = launcher.Started.Select(s => s.Request).ToList();
        Assert.Equal(3, started.Count);
        Assert.All(started, r => Assert.Contains(Assert.Single(r.Assignment.Slots).Id, new[] { "cpu0", "cpu1" }));
        Assert.All(started, r => Assert.Null(r.ResumeCheckpointPath));
        Assert.All(started, r => Assert.Equal(1, r.Threads));
        var config = await File.ReadAllTextAsync(started.Single(r => r.Assignment.TrialId == $"{sweepId}-t1").ConfigPath);
        Assert.Equal(RunnerCluster.Trial(sweepId, 1).ConfigJson, config);
        await Eventually.HoldsAsync(() => cluster.Runner.GetProgress() is { Succeeded: 3, Failed: 0 } progress && progress.Slots.All(s => s.Status == "idle"),
            "the runner counted three successes and its slots are idle");
    }

    [Fact]
    public async Task A_child_exiting_non_zero_fails_its_attempt_and_the_retry_resumes_from_the_checkpoint_it_stored()
    {
        var launcher = new ScriptLauncher(r => r.Assignment.Attempt == 1
            ? """
              printf 'checkpoint-one' > ckpt.pt
              echo '{"type":"checkpoint","path":"ckpt.pt","step":3,"epoch":1}'
              echo 'CUDA out of memory (simulated)' >&2
              exit 3
              """
            : """
              test "$(cat "$RESUME")" = "checkpoint-one" || { echo "resume file missing or wrong" >&2; exit 4; }
              echo '{"type":"summary","summary":{"scalars":{"psnr_cross":20}}}'
              """);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";

        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0, maxAttempts: 3));

        var row = await cluster.WaitForRowAsync(trialId, r => r.Snapshot.IsFinal, "the trial finished");
        Assert.Equal(TrialState.Succeeded, row.Snapshot.State);
        var attempts = await cluster.Store.ListAttemptsAsync(trialId, None);
        Assert.Equal([AttemptState.Failed, AttemptState.Succeeded], attempts.Select(a => a.State));
        Assert.Contains("exited with code 3", attempts[0].Error, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory (simulated)", attempts[0].Error, StringComparison.Ordinal);

        // Attempt 2 was launched with a resume file holding the bytes attempt 1 stored as its checkpoint.
        var checkpoint = Assert.Single(await cluster.Store.ListArtifactsAsync(trialId, None));
        Assert.Equal((ArtifactKinds.Checkpoint, 1), (checkpoint.Kind, checkpoint.Attempt));
        var requests = launcher.Started.Select(s => s.Request).ToList();
        Assert.Equal([1, 2], requests.Select(r => r.Assignment.Attempt));
        Assert.Null(requests[0].ResumeCheckpointPath);
        Assert.Equal("checkpoint-one", await File.ReadAllTextAsync(requests[1].ResumeCheckpointPath!));
        var state = (await cluster.GrainAsync(trialId)).State;
        Assert.Equal(checkpoint.Id, state.Attempts[1].ResumedFrom);
        Assert.Equal(2, state.CurrentAttempt);
    }

    [Fact]
    public async Task A_checkpoint_whose_points_were_not_delivered_is_not_stored_and_the_retry_resumes_from_the_next_one()
    {
        // Attempt 1 writes each checkpoint to its own file, then fails; attempt 2 says which one it was handed.
        var launcher = new ScriptLauncher(r => r.Assignment.Attempt == 1
            ? """
              for step in 1 2 3 4 5 6; do
                echo "{\"type\":\"metric\",\"step\":$step,\"epoch\":1,\"name\":\"loss.total\",\"value\":0.$step,\"kind\":\"step\"}"
                if [ $step -eq 3 ] || [ $step -eq 6 ]; then
                  printf "checkpoint-of-step-$step" > "step-$step.pt"
                  echo "{\"type\":\"checkpoint\",\"path\":\"step-$step.pt\",\"step\":$step,\"epoch\":1}"
                fi
              done
              exit 3
              """
            : """
              echo "resumed from: $(cat "$RESUME")" >&2
              echo '{"type":"summary","summary":{"scalars":{"psnr_cross":20}}}'
              """);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        // The batch that carries step 3 (sent just before the checkpoint of step 3) fails once, as over a cut link.
        cluster.Calls.FailOnce(c => c.TrialId == trialId && c.Steps.Contains(3));

        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0, maxAttempts: 3));

        var row = await cluster.WaitForRowAsync(trialId, r => r.Snapshot.IsFinal, "the trial finished");
        Assert.Equal(TrialState.Succeeded, row.Snapshot.State);
        var calls = cluster.Calls.For(trialId, 1);
        Assert.Single(calls, c => c.Failed);

        // Only the checkpoint of step 6 was stored (under the attempt's one checkpoint name), after the points up to it,
        // the undelivered batch included; attempt 2 resumed from it.
        var uploads = calls.Where(c => c.Method == nameof(ITrialGrain.PutArtifactAsync)).Select(c => (AttemptArtifact)c.Arguments[0]!).ToList();
        Assert.Equal([6L], uploads.Select(u => u.Step ?? 0));
        var checkpoint = Assert.Single(await cluster.Store.ListArtifactsAsync(trialId, None));
        Assert.Equal((ArtifactKinds.Checkpoint, "checkpoint.pt"), (checkpoint.Kind, checkpoint.Name));
        var delivered = calls.TakeWhile(c => c.Method != nameof(ITrialGrain.PutArtifactAsync)).Where(c => !c.Failed).SelectMany(c => c.Steps).Distinct().Order();
        Assert.Equal([1L, 2, 3, 4, 5, 6], delivered);
        Assert.Equal([1L, 2, 3, 4, 5, 6], (await cluster.Store.GetMetricPointsAsync(trialId, None)).Select(p => p.Point.Step));
        var requests = launcher.Started.Select(s => s.Request).ToList();
        Assert.Equal("checkpoint-of-step-6", await File.ReadAllTextAsync(requests[1].ResumeCheckpointPath!));
    }

    /// <summary>A child that keeps reporting until it is killed.</summary>
    private const string ReportsUntilKilled = """
        i=1
        while true; do
          echo "{\"type\":\"progress\",\"epoch\":1,\"epochs\":1,\"step\":$i,\"steps\":100000}"
          echo "{\"type\":\"metric\",\"step\":$i,\"epoch\":1,\"name\":\"loss.total\",\"value\":0.5,\"kind\":\"step\"}"
          i=$((i+1))
          sleep 0.05
        done
        """;

    [Theory]
    [InlineData("quiet", RunsUntilKilled)] // only the stop decision can end it
    [InlineData("chatty", ReportsUntilKilled)] // its next report is refused too
    public async Task Cancelling_the_sweep_kills_the_child_and_the_runner_reports_nothing_more(string child, string script)
    {
        output.WriteLine($"child: {child}");
        var launcher = new ScriptLauncher(_ => script);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0));
        await Eventually.HoldsAsync(async () => (await cluster.GrainAsync(trialId)).State is { Phase: TrialPhase.Running, LastStep: >= 1 }, "the child reported its progress");
        var pid = Assert.Single(launcher.Started).ProcessId;

        await cluster.CancelAsync(sweepId);

        await Eventually.HoldsAsync(() => !IsAlive(pid), "the child was killed");
        await Eventually.HoldsAsync(() => cluster.Runner.GetProgress() is { Stopped: 1 } progress && progress.Slots[0].Status == "idle", "the runner let the attempt go");
        Assert.DoesNotContain(cluster.Calls.For(trialId, 1), c => c.Method == nameof(ITrialGrain.AttemptEndedAsync));
        Assert.Equal((0, 0), (cluster.Runner.GetProgress().Succeeded, cluster.Runner.GetProgress().Failed));
        var row = await cluster.RowAsync(trialId);
        Assert.Equal((TrialState.Cancelled, AttemptState.Cancelled), (row.Snapshot.State, row.Snapshot.Attempt!.State));
        Assert.Single(launcher.Started);
    }

    /// <summary>A child that, asked to stop (SIGTERM), ends at its next step the way the trainer does: its own way, exit 143.</summary>
    private const string StopsWhenAsked = """
        trap 'echo "ended by its own hand" > "$OUT/terminated"; exit 143' TERM
        echo '{"type":"progress","epoch":1,"epochs":1,"step":1,"steps":10}'
        while true; do sleep 0.05; done
        """;

    /// <summary>A child that ignores SIGTERM: only a kill ends it.</summary>
    private const string IgnoresTheStopSignal = """
        trap '' TERM
        echo '{"type":"progress","epoch":1,"epochs":1,"step":1,"steps":10}'
        exec sleep 60
        """;

    [Fact]
    public async Task A_stopped_attempts_child_is_asked_to_stop_and_ends_by_its_own_hand_before_any_kill()
    {
        var launcher = new ScriptLauncher(_ => StopsWhenAsked);
        // A grace far longer than the test: a kill could not be what ended the child.
        await using var cluster = await RunnerCluster.StartAsync(output, launcher, stopGrace: TimeSpan.FromMinutes(10));
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0));
        await Eventually.HoldsAsync(async () => (await cluster.GrainAsync(trialId)).State is { Phase: TrialPhase.Running, LastStep: 1 }, "the child reported step 1");
        var (request, pid) = Assert.Single(launcher.Started);

        await cluster.CancelAsync(sweepId);

        await Eventually.HoldsAsync(() => !IsAlive(pid), "the child ended");
        Assert.Equal("ended by its own hand", (await File.ReadAllTextAsync(Path.Combine(request.OutputDirectory, "terminated"))).Trim());
        await Eventually.HoldsAsync(() => cluster.Runner.GetProgress() is { Stopped: 1 } progress && progress.Slots[0].Status == "idle", "the runner let the attempt go");
        Assert.DoesNotContain(cluster.Calls.For(trialId, 1), c => c.Method == nameof(ITrialGrain.AttemptEndedAsync));
        Assert.Equal((TrialState.Cancelled, AttemptState.Cancelled), ((await cluster.RowAsync(trialId)).Snapshot.State, (await cluster.RowAsync(trialId)).Snapshot.Attempt!.State));
    }

    [Fact]
    public async Task A_stopped_attempts_child_that_ignores_the_request_is_killed_after_the_grace()
    {
        var launcher = new ScriptLauncher(_ => IgnoresTheStopSignal);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher, stopGrace: TimeSpan.FromMilliseconds(300));
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0));
        await Eventually.HoldsAsync(async () => (await cluster.GrainAsync(trialId)).State is { Phase: TrialPhase.Running, LastStep: 1 }, "the child reported step 1");
        var pid = Assert.Single(launcher.Started).ProcessId;

        await cluster.CancelAsync(sweepId);

        await Eventually.HoldsAsync(() => !IsAlive(pid), "the child was killed");
        Assert.Contains(cluster.Log, l => l.Contains("did not end within 0.3 s of SIGTERM; killing it", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => cluster.Runner.GetProgress() is { Stopped: 1 } progress && progress.Slots[0].Status == "idle", "the runner let the attempt go");
    }

    [Fact]
    public async Task A_placement_naming_a_slot_the_silo_does_not_have_fails_that_attempt_without_starting_a_child()
    {
        var launcher = new ScriptLauncher(_ => ScriptLauncher.Succeeding());
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0, resources: Unplaceable));

        var placed = await PlaceAsync(cluster, trialId, attempt: 1, slot: "gpu7");

        Assert.True(placed.Accepted, placed.Message);
        var row = await cluster.WaitForRowAsync(trialId, r => r.Snapshot.State == TrialState.Pending && r.Snapshot.CurrentAttempt == 1, "attempt 1 failed and the trial waits again");
        var attempt = Assert.Single(await cluster.Store.ListAttemptsAsync(trialId, None));
        Assert.Equal(AttemptState.Failed, attempt.State);
        Assert.Contains("has no slot(s) gpu7", attempt.Error, StringComparison.Ordinal);
        Assert.Equal(TrialPhase.Pending, (await cluster.GrainAsync(trialId)).State.Phase);
        Assert.Null(row.Snapshot.SummaryJson);
        Assert.Empty(launcher.Started);
    }

    [Fact]
    public async Task A_placement_on_a_busy_slot_starts_only_once_the_slot_is_free_and_one_more_placed_there_meanwhile_fails()
    {
        var launcher = new ScriptLauncher(_ => RunsUntilKilled);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var (busySweep, otherSweep) = (NewId("busy"), NewId("other"));
        var occupant = $"{busySweep}-t0";
        await cluster.SubmitAsync(busySweep, RunnerCluster.Trial(busySweep, 0));
        await cluster.SubmitAsync(otherSweep, RunnerCluster.Trial(otherSweep, 0, resources: Unplaceable), RunnerCluster.Trial(otherSweep, 1, resources: Unplaceable));
        await cluster.WaitForRowAsync(occupant, r => r.Snapshot.State == TrialState.Running, "the first trial runs on cpu0");
        var occupantPid = Assert.Single(launcher.Started).ProcessId;

        // Two more attempts are placed on cpu0 while it is busy: neither may start beside the running child.
        Assert.True((await PlaceAsync(cluster, $"{otherSweep}-t0", attempt: 1, slot: "cpu0")).Accepted);
        Assert.True((await PlaceAsync(cluster, $"{otherSweep}-t1", attempt: 1, slot: "cpu0")).Accepted);
        Assert.Equal(occupant, cluster.Runner.GetProgress().Slots[0].TrialId);
        Assert.Single(launcher.Started);

        await cluster.CancelAsync(busySweep);

        // Once the slot is free one of them starts there and the other, finding it busy again, fails its attempt.
        await Eventually.HoldsAsync(() => launcher.Started.Count == 2, "a waiting attempt started");
        Assert.False(IsAlive(occupantPid), "the occupant's child was killed before the next one started");
        var next = launcher.Started.Last().Request.Assignment.TrialId;
        var refused = next == $"{otherSweep}-t0" ? $"{otherSweep}-t1" : $"{otherSweep}-t0";
        await cluster.WaitForRowAsync(refused, r => r.Snapshot.State == TrialState.Pending && r.Snapshot.CurrentAttempt == 1, "the other attempt failed");
        var failed = Assert.Single(await cluster.Store.ListAttemptsAsync(refused, None));
        Assert.Equal(AttemptState.Failed, failed.State);
        Assert.Contains("slot cpu0", failed.Error, StringComparison.Ordinal);
        Assert.Contains("is busy", failed.Error, StringComparison.Ordinal);
        await cluster.WaitForRowAsync(next, r => r.Snapshot.State == TrialState.Running, "the started attempt runs");
        Assert.Equal(2, launcher.Started.Count);
    }

    [Fact]
    public async Task Shutdown_kills_the_children_reports_nothing_and_takes_no_new_work()
    {
        var launcher = new ScriptLauncher(_ => RunsUntilKilled);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";
        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0));
        await Eventually.HoldsAsync(async () => (await cluster.GrainAsync(trialId)).State is { Phase: TrialPhase.Running, LastStep: 1 }, "the child reported step 1");
        var before = await cluster.GrainAsync(trialId);
        var callsBefore = cluster.Calls.For(trialId, 1).Count;
        var pid = Assert.Single(launcher.Started).ProcessId;

        await cluster.Runner.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(IsAlive(pid), "shutdown returned with the child still alive");
        Assert.Equal(callsBefore, cluster.Calls.For(trialId, 1).Count);
        var after = await cluster.GrainAsync(trialId);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal((TrialPhase.Running, AttemptPhase.Running), (after.State.Phase, after.State.Attempt!.Phase));
        Assert.Equal(AttemptState.Running, (await cluster.RowAsync(trialId)).Snapshot.Attempt!.State);

        // The scheduler no longer counts the stopping silo: a new trial waits instead of being placed on it.
        var laterId = NewId("later");
        await cluster.SubmitAsync(laterId, RunnerCluster.Trial(laterId, 0));
        await cluster.WaitForRowAsync($"{laterId}-t0", r => r.Snapshot.PendingReason == "waiting for a trainer silo to join the cluster", "the new trial waits for a silo");
        Assert.Single(launcher.Started);
    }

    [Fact]
    public async Task A_nan_loss_fails_the_trial_as_diverged_stops_the_child_and_is_not_retried()
    {
        var launcher = new ScriptLauncher(_ => """
            echo '{"type":"metric","step":1,"epoch":1,"name":"loss.total","value":0.9,"kind":"step"}'
            echo '{"type":"metric","step":2,"epoch":1,"name":"loss.total","value":0.7,"kind":"step"}'
            echo '{"type":"metric","step":3,"epoch":1,"name":"loss.total","value":"NaN","kind":"step"}'
            exec sleep 60
            """);
        await using var cluster = await RunnerCluster.StartAsync(output, launcher);
        var sweepId = NewId("sweep");
        var trialId = $"{sweepId}-t0";

        await cluster.SubmitAsync(sweepId, RunnerCluster.Trial(sweepId, 0, maxAttempts: 3));

        var row = await cluster.WaitForRowAsync(trialId, r => r.Snapshot.IsFinal, "the trial finished");
        Assert.Equal(TrialState.Failed, row.Snapshot.State);
        var state = (await cluster.GrainAsync(trialId)).State;
        Assert.Equal("diverged at step 3 (loss.total = NaN)", state.FailureReason);
        var pid = Assert.Single(launcher.Started).ProcessId;
        await Eventually.HoldsAsync(() => !IsAlive(pid), "the diverged child was killed");
        await Eventually.HoldsAsync(() => cluster.Runner.GetProgress().Slots[0].Status == "idle", "the slot is free again");
        Assert.DoesNotContain(cluster.Calls.For(trialId, 1), c => c.Method == nameof(ITrialGrain.AttemptEndedAsync));
        Assert.Equal([0.9, 0.7], (await cluster.Store.GetMetricPointsAsync(trialId, None)).Select(p => p.Point.Value));
        Assert.Single(launcher.Started);
        Assert.Equal(1, state.CurrentAttempt);
    }

    /// <summary>Places the trial on this silo's <paramref name="slot"/> as the scheduler would, bypassing it.</summary>
    private static async Task<TrialReply> PlaceAsync(RunnerCluster cluster, string trialId, int attempt, string slot) =>
        await cluster.Client.GetGrain<ITrialGrain>(trialId).PlaceAsync(new AttemptPlacement
        {
            SiloId = cluster.SiloId,
            Attempt = attempt,
            SlotIds = [slot],
            Definition = StoreTrialRecords.Definition(await cluster.RowAsync(trialId)),
        });

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
