using System.Text.Json;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// <c>run</c> stopped part-way (Ctrl-C, or the process killed outright) and started again: finished
/// trials are kept, the interrupted one continues from its last checkpoint.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RunCommandResumeTests : IDisposable
{
    private const int Epochs = 10;
    private const int StepsPerEpoch = 50;
    private static readonly TimeSpan UntilInterrupt = TimeSpan.FromSeconds(180);
    private static readonly TimeSpan UntilRerunEnds = TimeSpan.FromSeconds(180);
    private readonly TempDirectory _temp = new();
    private readonly string _sweep;
    private readonly string _state;
    private readonly RunState _run;

    public RunCommandResumeTests()
    {
        _sweep = _temp.Write("resumable.yaml", TinySweeps.ThreeRowsCheckpointed(Epochs, StepsPerEpoch));
        _state = Path.Combine(_temp.Path, "state");
        _run = new RunState(_state);
    }

    [Fact]
    public async Task After_ctrl_c_a_rerun_keeps_the_finished_trial_and_resumes_the_interrupted_one_from_its_checkpoint()
    {
        Interrupted interrupted;
        using (var first = Start())
        {
            interrupted = await RunUntilSecondTrialIsUnderWayAsync(first);
            await first.SignalAsync("INT");
            var ended = await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.True(ended.ExitCode == 130, ended.Transcript);
            Assert.Contains("interrupted: the state is saved", ended.Output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_run.AttemptDirectory(interrupted.TrialId, 1), "summary.json")), "the interrupted trial finished before the signal");
        }

        await RerunAndCheckResumeAsync(interrupted);
    }

    [Fact]
    public async Task After_the_run_process_is_killed_a_rerun_resumes_the_interrupted_trial_as_its_next_attempt_and_completes()
    {
        Interrupted interrupted;
        using (var first = Start())
        {
            interrupted = await RunUntilSecondTrialIsUnderWayAsync(first);
            await first.SignalAsync("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // Nothing stops a crashed run's trial child: it would train on to its end beside the rerun. End it by its id.
        _run.KillOrphanedTrials();
        Assert.False(File.Exists(Path.Combine(_run.AttemptDirectory(interrupted.TrialId, 1), "summary.json")), "the interrupted trial finished before the kill");

        await RerunAndCheckResumeAsync(interrupted);
    }

    public void Dispose()
    {
        _run.KillOrphanedTrials();
        _temp.Dispose();
    }

    private CliProcess Start() =>
        CliProcess.Start(_temp.Path, "run", _sweep, "--state", _state, "--cpu-slots", "1", "--threads", "1");

    /// <summary>
    /// Waits until one trial has succeeded and the coordinator has stored the next one's first checkpoint (the silo
    /// log says so), watching every 20 ms rather than the 2 s progress line: the signal then arrives with most of
    /// the trial's ten epochs still to run, however fast or loaded the machine.
    /// </summary>
    private async Task<Interrupted> RunUntilSecondTrialIsUnderWayAsync(CliProcess run)
    {
        var deadline = DateTime.UtcNow + UntilInterrupt;
        var log = Path.Combine(_state, "silo.log");
        while (true)
        {
            var attempts = _run.Attempts(whileRunning: true);
            var succeeded = attempts.Where(a => a.HasSummary).ToList();
            var running = attempts.Where(a => !a.HasSummary).ToList();
            if (succeeded.Count == 1 && running.Count == 1 && File.Exists(log)
                && File.ReadAllText(log).Contains($"trial {running[0].TrialId} attempt 1: checkpoint of step", StringComparison.Ordinal))
            {
                Assert.Equal(1, succeeded[0].Number);
                Assert.Equal(1, running[0].Number);
                Assert.NotEqual("third", running[0].ConfigName);
                return new Interrupted(succeeded[0].TrialId, running[0].TrialId);
            }

            Assert.True(succeeded.Count <= 1, $"two trials finished before the second one's checkpoint was stored\n{run.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no trial done and the next one's checkpoint stored within {UntilInterrupt}\n{run.Output}");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }

    private async Task RerunAndCheckResumeAsync(Interrupted interrupted)
    {
        CliResult rerun;
        using (var second = Start())
        {
            rerun = await second.WaitForExitAsync(UntilRerunEnds);
        }

        Assert.True(rerun.ExitCode == 0, rerun.Transcript);
        Assert.Contains("sweep resumable: revision 1, unchanged: 3 trials kept (resuming)", rerun.Output, StringComparison.Ordinal);

        // The finished trial was not run again.
        var attempts = _run.Attempts();
        Assert.Equal([1], attempts.Where(a => a.TrialId == interrupted.SucceededTrialId).Select(a => a.Number));

        // The interrupted one went on in a new attempt, given the checkpoint, from past its first epoch.
        var resumed = attempts.Where(a => a.TrialId == interrupted.TrialId).OrderBy(a => a.Number).Last();
        Assert.True(resumed.Number >= 2, $"trial {interrupted.TrialId} has no second attempt\n{rerun.Transcript}");
        Assert.True(resumed.HasSummary, $"{resumed.Directory} has no summary");
        Assert.True(File.Exists(Path.Combine(resumed.Directory, "resume.ckpt")), $"{resumed.Directory} was not given a checkpoint to resume from");
        var steps = StepMetrics(resumed.Directory);
        Assert.True(steps.Min() > StepsPerEpoch, $"attempt {resumed.Number} restarted at step {steps.Min()}");
        Assert.Equal(Epochs * StepsPerEpoch, steps.Max());

        // Every trial ended, each exactly once in the report.
        var third = Assert.Single(attempts, a => a.TrialId != interrupted.TrialId && a.TrialId != interrupted.SucceededTrialId);
        Assert.Equal(1, third.Number);
        Assert.True(third.HasSummary);
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_state, "reports", "resumable", "matrix.json")));
        var rows = matrix.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["first", "second", "third"], rows.Select(r => r.GetProperty("config_name").GetString()));
        Assert.All(rows, r => Assert.Equal("complete", r.GetProperty("state").GetString()));
        Assert.All(rows, r => Assert.Equal(1, r.GetProperty("psnr_cross").GetProperty("n").GetInt32()));
    }

    private static List<long> StepMetrics(string attemptDirectory)
    {
        var steps = new List<long>();
        foreach (var line in File.ReadLines(Path.Combine(attemptDirectory, "metrics.jsonl")))
        {
            using var metric = JsonDocument.Parse(line);
            if (metric.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "step")
            {
                steps.Add(metric.RootElement.GetProperty("step").GetInt64());
            }
        }

        Assert.NotEmpty(steps);
        return steps;
    }

    private sealed record Interrupted(string SucceededTrialId, string TrialId);

}
