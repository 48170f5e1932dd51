using System.Diagnostics;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo.Tests;

[Trait("Category", "Integration")]
public sealed class SiloRuntimeTests(CoordinatorServerFixture coordinator) : IClassFixture<CoordinatorServerFixture>
{
    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Trial_completes_with_every_metric_point_stored_once_and_its_checkpoint_uploaded()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        var launcher = new ScriptLauncher(_ => ScriptLauncher.Succeeding(points: 5));
        await using var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label);
        var trialId = $"{sweepId}-t0";

        await Eventually.HoldsAsync(async () => (await coordinator.GetTrialAsync(trialId)).State == TrialState.Succeeded, "the trial succeeded");

        var trial = await coordinator.GetTrialAsync(trialId);
        Assert.Equal(27.5, trial.Summary!.Value.GetProperty("scalars").GetProperty("psnr_cross").GetDouble());
        var points = await coordinator.GetAsync<List<MetricRecordDto>>($"api/trials/{trialId}/metrics");
        Assert.Equal([1L, 2, 3, 4, 5], points.Select(p => p.Step).Order());
        Assert.All(points, p => Assert.Equal("loss.total", p.Name));
        var artifacts = await coordinator.GetAsync<List<ArtifactDto>>($"api/trials/{trialId}/artifacts");
        Assert.Equal(["checkpoint", "panel"], artifacts.Select(a => a.Kind).Order());
        Assert.Equal(trial.LastCheckpointArtifactId, artifacts.Single(a => a.Kind == "checkpoint").Id);
        Assert.DoesNotContain(artifacts, a => a.Name == "outside");

        var (request, _) = Assert.Single(launcher.Started);
        Assert.Contains("\"name\":\"config-0\"", await File.ReadAllTextAsync(request.ConfigPath), StringComparison.Ordinal);
        Assert.NotNull(request.Threads);
        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Succeeded == 1, "the silo counted the success");
        Assert.Equal("idle", Assert.Single(silo.Runtime.GetProgress().Slots).Status);
    }

    [Fact]
    public async Task A_silo_bound_to_one_sweep_runs_its_trials_and_leaves_an_earlier_sweeps_pending()
    {
        var (earlier, mine, label) = (NewId("sweep"), NewId("sweep"), NewId("label"));
        var launcher = new ScriptLauncher(_ => ScriptLauncher.Succeeding(points: 1));
        await coordinator.SubmitAsync(earlier, label);
        await coordinator.SubmitAsync(mine, label);
        await using var silo = RunningSilo.Start(coordinator, label, launcher, onlySweepId: mine);

        await Eventually.HoldsAsync(async () => (await coordinator.GetTrialAsync($"{mine}-t0")).State == TrialState.Succeeded, "the bound sweep's trial succeeded");

        Assert.Equal(TrialState.Pending, (await coordinator.GetTrialAsync($"{earlier}-t0")).State);
        Assert.Equal(mine, Assert.Single(launcher.Started).Request.Assignment.SweepId);
    }

    [Fact]
    public async Task Failing_child_fails_its_attempt_and_the_retry_resumes_from_its_checkpoint()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
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
        await using var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label, maxAttempts: 2);
        var trialId = $"{sweepId}-t0";

        await Eventually.HoldsAsync(async () => (await coordinator.GetTrialAsync(trialId)).State is TrialState.Succeeded or TrialState.Failed, "the trial finished");

        Assert.Equal(TrialState.Succeeded, (await coordinator.GetTrialAsync(trialId)).State);
        var attempts = await coordinator.GetAsync<List<AttemptDto>>($"api/trials/{trialId}/attempts");
        Assert.Equal([AttemptState.Failed, AttemptState.Succeeded], attempts.Select(a => a.State));
        Assert.Contains("exited with code 3", attempts[0].Error, StringComparison.Ordinal);
        Assert.Contains("CUDA out of memory (simulated)", attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal(2, launcher.Started.Count);
    }

    [Fact]
    public async Task Diverged_child_fails_its_trial_without_a_retry_and_its_NaN_loss_is_stored()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        // What trial-run writes when a loss stops being finite: the point, the diverged event, one stderr line, exit code 3.
        var launcher = new ScriptLauncher(_ => """
            echo '{"type":"metric","step":6,"epoch":1,"name":"loss.cross","value":0.25,"kind":"step"}'
            echo '{"type":"metric","step":7,"epoch":1,"name":"loss.cross","value":"NaN","kind":"step"}'
            echo '{"type":"diverged","step":7,"epoch":1,"name":"loss.cross","value":"NaN"}'
            echo 'diverged at step 7 (loss.cross = NaN)' >&2
            exit 3
            """);
        await using var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label, maxAttempts: 3);
        var trialId = $"{sweepId}-t0";

        await Eventually.HoldsAsync(async () => (await coordinator.GetTrialAsync(trialId)).State == TrialState.Failed, "the trial failed");

        var attempt = Assert.Single(await coordinator.GetAsync<List<AttemptDto>>($"api/trials/{trialId}/attempts"));
        Assert.Equal((AttemptState.Failed, "diverged at step 7 (loss.cross = NaN)"), (attempt.State, attempt.Error));
        var points = await coordinator.GetAsync<List<MetricRecordDto>>($"api/trials/{trialId}/metrics");
        Assert.Equal([6L, 7L], points.Select(p => p.Step).Order());
        Assert.True(double.IsNaN(points.Single(p => p.Step == 7).Value));
        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Failed == 1, "the silo counted the failure");
        Assert.Single(launcher.Started);
    }

    [Fact]
    public async Task Cancelling_the_sweep_kills_the_running_child()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        var launcher = new ScriptLauncher(_ => """
            echo '{"type":"progress","epoch":1,"epochs":4,"step":1,"steps":100,"eta_s":60}'
            echo '{"type":"metric","step":1,"epoch":1,"name":"loss.cross","value":0.9,"kind":"step"}'
            exec sleep 60
            """);
        await using var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label);
        var trialId = $"{sweepId}-t0";

        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Slots[0] is { Step: 1, ProcessId: not null }, "the child reported progress");
        var slot = silo.Runtime.GetProgress().Slots[0];
        Assert.Equal((trialId, "config-0", 4, 60.0), (slot.TrialId, slot.ConfigName, slot.Epochs, slot.EtaSeconds));
        Assert.Equal(0.9, slot.LatestLosses["loss.cross"]);
        var pid = slot.ProcessId!.Value;

        using (var user = coordinator.User())
        {
            (await user.PostAsync($"api/sweeps/{sweepId}/cancel", null)).EnsureSuccessStatusCode();
        }

        await Eventually.HoldsAsync(() => !IsAlive(pid), "the child was killed");
        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Slots[0].Status == "idle", "the slot is free again");
        var trial = await coordinator.GetTrialAsync(trialId);
        Assert.Equal(TrialState.Cancelled, trial.State);
        Assert.Equal(AttemptState.Cancelled, trial.Attempt!.State);
    }

    [Fact]
    public async Task Killed_child_fails_only_its_attempt_and_the_silo_goes_on()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        var launcher = new ScriptLauncher(r => r.Assignment.Attempt == 1
            ? """
              echo '{"type":"progress","epoch":1,"epochs":1,"step":1,"steps":10}'
              exec sleep 60
              """
            : ScriptLauncher.Succeeding(points: 2));
        await using var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label, maxAttempts: 2);
        var trialId = $"{sweepId}-t0";

        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Slots[0] is { Step: 1, ProcessId: not null }, "the child is running");
        using (var child = Process.GetProcessById(silo.Runtime.GetProgress().Slots[0].ProcessId!.Value))
        {
            child.Kill(); // SIGKILL, as the OOM killer would.
        }

        await Eventually.HoldsAsync(async () => (await coordinator.GetTrialAsync(trialId)).State == TrialState.Succeeded, "the retried trial succeeded");
        var attempts = await coordinator.GetAsync<List<AttemptDto>>($"api/trials/{trialId}/attempts");
        Assert.Equal(AttemptState.Failed, attempts[0].State);
        Assert.Contains("signal 9", attempts[0].Error, StringComparison.Ordinal);
        Assert.False(silo.Task.IsCompleted, "the silo must keep running after a child is killed");
    }

    [Fact]
    public async Task Shutdown_kills_children_and_reports_their_attempts_failed()
    {
        var (sweepId, label) = (NewId("sweep"), NewId("label"));
        var launcher = new ScriptLauncher(_ => """
            echo '{"type":"progress","epoch":1,"epochs":1,"step":1,"steps":10}'
            exec sleep 60
            """);
        var silo = RunningSilo.Start(coordinator, label, launcher);
        await coordinator.SubmitAsync(sweepId, label, maxAttempts: 3);
        var trialId = $"{sweepId}-t0";
        await Eventually.HoldsAsync(() => silo.Runtime.GetProgress().Slots[0] is { Step: 1, ProcessId: not null }, "the child is running");
        var pid = silo.Runtime.GetProgress().Slots[0].ProcessId!.Value;

        await silo.DisposeAsync();

        Assert.False(IsAlive(pid));
        var trial = await coordinator.GetTrialAsync(trialId);
        Assert.Equal(TrialState.Pending, trial.State);
        Assert.Contains("shut down", trial.Attempt!.Error, StringComparison.Ordinal);
    }

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

    /// <summary>A silo running in the background until disposed.</summary>
    private sealed class RunningSilo : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        private RunningSilo(SiloRuntime runtime)
        {
            Runtime = runtime;
            Task = runtime.RunAsync(_stop.Token);
        }

        public SiloRuntime Runtime { get; }

        public Task Task { get; }

        public static RunningSilo Start(CoordinatorServerFixture coordinator, string label, ScriptLauncher launcher, string? onlySweepId = null)
        {
            var id = NewId("silo");
            var options = new SiloOptions
            {
                SiloId = id,
                Labels = new Dictionary<string, string> { ["run"] = label },
                Slots = SlotDescription.CpuSlots(1),
                OnlySweepId = onlySweepId,
                WorkDirectory = Path.Combine(coordinator.WorkRoot, id),
                ClaimWait = TimeSpan.FromSeconds(1),
                HeartbeatInterval = TimeSpan.FromMilliseconds(200),
                MetricBatchSize = 2,
                MetricFlushInterval = TimeSpan.FromMilliseconds(100),
                ShutdownReportTimeout = TimeSpan.FromSeconds(5),
            };
            return new RunningSilo(new SiloRuntime(options, coordinator.SiloClient(), launcher));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await Task.WaitAsync(TimeSpan.FromSeconds(20));
            _stop.Dispose();
        }
    }
}
