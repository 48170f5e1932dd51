using System.Text.Json;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// Early stopping in an embedded run, through real processes: a configuration that does not learn is pruned after its
/// first epoch, the run is killed outright (SIGKILL) right after the decision, and a rerun of the same command keeps the
/// decision: the pruned trial is neither run again nor resumed, and the matrix shows it pruned.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunCommandEarlyStoppingTests : IDisposable
{
    private static readonly TimeSpan UntilPruned = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan UntilRerunEnds = TimeSpan.FromSeconds(180);

    private readonly TempDirectory _temp = new();
    private readonly string _sweep;
    private readonly string _state;
    private readonly RunState _run;

    public RunCommandEarlyStoppingTests()
    {
        _sweep = _temp.Write("prunable.yaml", TinySweeps.Prunable);
        _state = Path.Combine(_temp.Path, "state");
        _run = new RunState(_state);
    }

    [Fact]
    public async Task A_pruning_decision_survives_the_run_killed_right_after_it_and_the_rerun_neither_reruns_nor_resumes_the_pruned_trial()
    {
        string pruned;
        using (var first = Start())
        {
            pruned = await first.WaitForLineAsync(l => l.Contains("(frozen, seed 0) pruned at epoch 1:", StringComparison.Ordinal), UntilPruned,
                "the frozen configuration pruned at epoch 1");
            await first.SignalAsync("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Contains("below the median", pruned, StringComparison.Ordinal);
            Assert.Contains("(learns, seed 0) succeeded", first.Output, StringComparison.Ordinal);
            // The kill landed mid-sweep: the last row still had its epochs to run.
            Assert.DoesNotContain("(also_learns, seed 0) succeeded", first.Output, StringComparison.Ordinal);
        }

        _run.KillOrphanedTrials();
        var frozenId = Assert.Single(_run.Attempts(), a => a.ConfigName == "frozen").TrialId;

        CliResult rerun;
        using (var second = Start())
        {
            rerun = await second.WaitForExitAsync(UntilRerunEnds);
        }

        Assert.True(rerun.ExitCode == 0, rerun.Transcript);
        Assert.Contains("sweep prunable: revision 1, unchanged: 3 trials kept (resuming)", rerun.Output, StringComparison.Ordinal);

        // The decision held: no second attempt of the pruned trial, and the one that finished was not run again.
        var attempts = _run.Attempts();
        Assert.Equal([1], attempts.Where(a => a.TrialId == frozenId).Select(a => a.Number));
        Assert.Equal([1], attempts.Where(a => a.ConfigName == "learns").Select(a => a.Number));
        Assert.True(attempts.Where(a => a.ConfigName == "also_learns").OrderBy(a => a.Number).Last().HasSummary, rerun.Transcript);
        Assert.DoesNotContain($"trial {frozenId} (frozen, seed 0) started", rerun.Output, StringComparison.Ordinal);

        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_state, "reports", "prunable", "matrix.json")));
        var states = matrix.RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(r => r.GetProperty("config_name").GetString()!, r => r.GetProperty("state").GetString(), StringComparer.Ordinal);
        Assert.Equal(("complete", "pruned", "complete"), (states["learns"], states["frozen"], states["also_learns"]));
    }

    public void Dispose()
    {
        _run.KillOrphanedTrials();
        _temp.Dispose();
    }

    private CliProcess Start() =>
        CliProcess.Start(_temp.Path, "run", _sweep, "--state", _state, "--cpu-slots", "1", "--threads", "1");
}
