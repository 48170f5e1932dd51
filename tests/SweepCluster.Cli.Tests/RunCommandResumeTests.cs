using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

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

    public RunCommandResumeTests()
    {
        _sweep = _temp.Write("resumable.yaml", TinySweeps.ThreeRowsCheckpointed(Epochs, StepsPerEpoch));
        _state = Path.Combine(_temp.Path, "state");
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
            Assert.False(File.Exists(Path.Combine(AttemptDirectory(interrupted.TrialId, 1), "summary.json")), "the interrupted trial finished before the signal");
        }

        await RerunAndCheckResumeAsync(interrupted);
    }

    [Fact]
    public async Task After_the_run_process_is_killed_a_rerun_takes_the_stale_lease_back_and_completes()
    {
        Interrupted interrupted;
        using (var first = Start())
        {
            interrupted = await RunUntilSecondTrialIsUnderWayAsync(first);
            await first.SignalAsync("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // Nothing stops a crashed run's trial child: it would train on to its end beside the rerun. End it by its id.
        KillOrphanedTrials();
        Assert.False(File.Exists(Path.Combine(AttemptDirectory(interrupted.TrialId, 1), "summary.json")), "the interrupted trial finished before the kill");

        await RerunAndCheckResumeAsync(interrupted);
    }

    public void Dispose()
    {
        KillOrphanedTrials();
        _temp.Dispose();
    }

    private CliProcess Start() =>
        CliProcess.Start(_temp.Path, "run", _sweep, "--state", _state, "--cpu-slots", "1", "--threads", "1");

    /// <summary>
    /// Waits until one trial has succeeded and the next is past its second epoch (so a checkpoint of epoch 2 exists).
    /// The CLI prints progress every 2 s; an epoch of 50 steps takes about 0.8 s on an idle core, so the trial is
    /// still well short of its end when the line arrives.
    /// </summary>
    private async Task<Interrupted> RunUntilSecondTrialIsUnderWayAsync(CliProcess run)
    {
        var progress = new Regex($@"\] 1/3 done.*\| cpu0 (\S+) epoch (\d+)/{Epochs} ");
        var line = await run.WaitForLineAsync(
            l => progress.Match(l) is { Success: true } m && int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) >= 3,
            UntilInterrupt,
            "showing one trial done and the next at epoch 3 or later");
        var name = progress.Match(line).Groups[1].Value;

        var attempts = Attempts();
        var succeeded = Assert.Single(attempts, a => a.HasSummary);
        var running = Assert.Single(attempts, a => !a.HasSummary);
        Assert.Equal(name, running.ConfigName);
        Assert.Equal(1, succeeded.Number);
        Assert.Equal(1, running.Number);
        Assert.True(File.Exists(Path.Combine(running.Directory, "checkpoint.pt")), $"no checkpoint in {running.Directory}");
        return new Interrupted(succeeded.TrialId, running.TrialId);
    }

    private async Task RerunAndCheckResumeAsync(Interrupted interrupted)
    {
        CliResult rerun;
        using (var second = Start())
        {
            rerun = await second.WaitForExitAsync(UntilRerunEnds);
        }

        Assert.True(rerun.ExitCode == 0, rerun.Transcript);
        Assert.Contains("resuming: 3 trial(s) already known, 0 new", rerun.Output, StringComparison.Ordinal);

        // The finished trial was not run again.
        var attempts = Attempts();
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

    private List<AttemptOnDisk> Attempts()
    {
        var root = Path.Combine(_state, "attempts");
        var attempts = new List<AttemptOnDisk>();
        foreach (var trial in Directory.GetDirectories(root))
        {
            foreach (var directory in Directory.GetDirectories(trial, "attempt-*"))
            {
                using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
                attempts.Add(new AttemptOnDisk(
                    Path.GetFileName(trial),
                    int.Parse(Path.GetFileName(directory)["attempt-".Length..], CultureInfo.InvariantCulture),
                    config.RootElement.GetProperty("name").GetString()!,
                    directory,
                    File.Exists(Path.Combine(directory, "summary.json"))));
            }
        }

        return attempts;
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

    private string AttemptDirectory(string trialId, int attempt) => Path.Combine(_state, "attempts", trialId, $"attempt-{attempt}");

    /// <summary>Kills, by id, trial children this test's runs started that are still alive (the silo log names their ids).</summary>
    private void KillOrphanedTrials()
    {
        var log = Path.Combine(_state, "silo.log");
        if (!File.Exists(log))
        {
            return;
        }

        foreach (Match started in Regex.Matches(File.ReadAllText(log), @"started as process (\d+)"))
        {
            var id = int.Parse(started.Groups[1].Value, CultureInfo.InvariantCulture);
            var commandLine = Path.Combine("/proc", id.ToString(CultureInfo.InvariantCulture), "cmdline");
            string text;
            try
            {
                text = File.ReadAllText(commandLine);
            }
            catch (IOException)
            {
                continue;
            }

            // The id may have been reused by an unrelated process: only a trial of this state directory is ours.
            if (!text.Contains("trial-run", StringComparison.Ordinal) || !text.Contains(_state, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // It ended in the meantime.
            }
            catch (InvalidOperationException)
            {
                // As above.
            }
        }
    }

    private sealed record Interrupted(string SucceededTrialId, string TrialId);

    private sealed record AttemptOnDisk(string TrialId, int Number, string ConfigName, string Directory, bool HasSummary);
}
