using System.Text.Json;
using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A silo SIGKILLed mid-trial (its trial child with it, as when the machine dies): the lease
/// expires, the trial resumes on another silo from its last checkpoint, and its metrics, read by
/// the latest-attempt rule, are exactly those of a fault-free run of the same configuration.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SiloKillTests(ITestOutputHelper output)
{
    private const int LeaseTtlSeconds = 4;

    [Fact]
    public async Task A_killed_silos_trial_resumes_elsewhere_from_its_checkpoint_with_every_point_once_and_fault_free_values()
    {
        await using var cluster = FaultCluster.Create("silo-kill");
        await cluster.StartCoordinatorAsync($"sqlite:{Path.Combine(cluster.Directory, "store.db")}", LeaseTtlSeconds);
        var silos = new[] { "s1", "s2", "s3" }.ToDictionary(id => id, id => cluster.StartSilo(id, cpuSlots: 1, heartbeatSeconds: 1));
        var sweepId = await cluster.SubmitAsync(await cluster.WriteSweepAsync("silo-kill", rows: 3));

        // A trial past its second epoch with a stored checkpoint, and at least three epochs still to go: progress
        // arrives with the heartbeat, up to a second late, and the kill must land before the trial ends.
        var victim = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t =>
                t.IsRunning && t.AttemptSiloId is not null && t.ProgressEpoch >= 2 && t.ProgressEpoch <= FaultSweep.Epochs - 3 && t.LastCheckpointArtifactId is not null),
            TimeSpan.FromMinutes(2), "a trial running at epoch 2 or later with a checkpoint");
        silos[victim.AttemptSiloId!].KillTree();
        var killedAt = cluster.Elapsed;
        output.WriteLine($"{killedAt.TotalSeconds:0.0} s: SIGKILL to silo {victim.AttemptSiloId} and its children while it ran {victim}");

        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, TimeSpan.FromMinutes(3));
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: sweep finished ({(cluster.Elapsed - killedAt).TotalSeconds:0.0} s after the kill)");
        Assert.True(trials.All(t => t.HasSucceeded), $"Not every trial succeeded: {string.Join("; ", trials)}\n{cluster.Diagnostics()}");

        var killed = trials.Single(t => t.Id == victim.Id);
        Assert.True(killed.CurrentAttempt >= 2, $"The killed trial finished in attempt {killed.CurrentAttempt}; its attempt {victim.AttemptNumber} should have been lost.");
        var attempts = await cluster.GetAttemptsAsync(victim.Id);
        Assert.Contains(attempts, a => a.Number == victim.AttemptNumber && a.State == "lost" && a.SiloId == victim.AttemptSiloId);
        Assert.Equal("succeeded", attempts.Single(a => a.Number == killed.CurrentAttempt).State);
        Assert.NotEqual(victim.AttemptSiloId, attempts.Single(a => a.Number == killed.CurrentAttempt).SiloId);

        var points = await cluster.GetMetricsAsync(victim.Id);
        Assert.Empty(LatestAttemptMetrics.Duplicates(points));

        // Resumed, not started over: the last attempt's first step comes after a whole epoch.
        var firstResumedStep = points.Where(p => p.Attempt == killed.CurrentAttempt).Min(p => p.Step);
        output.WriteLine($"attempts: {string.Join(", ", attempts.Select(a => $"#{a.Number} {a.State} on {a.SiloId}"))}; last attempt starts at step {firstResumedStep}");
        Assert.True(firstResumedStep > FaultSweep.StepsPerEpoch, $"The last attempt reported step {firstResumedStep}: it started over instead of resuming from a checkpoint.");

        var latest = LatestAttemptMetrics.Resolve(points);
        var steps = latest.Keys.Select(k => k.Step).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(1, FaultSweep.Epochs * FaultSweep.StepsPerEpoch).Select(s => (long)s), steps);

        // The same configuration without faults, straight through the trial process: on the CPU
        // training is deterministic and a resume restores the whole state, so the values agree too.
        var reference = LatestAttemptMetrics.Resolve(await RunFaultFreeAsync(cluster, victim.Id));
        var differences = LatestAttemptMetrics.Compare(latest, reference, tolerance: 1e-6);
        Assert.True(differences.Count == 0, $"{differences.Count} difference(s) from the fault-free run, first: {string.Join("\n", differences.Take(10))}");
        output.WriteLine($"{latest.Count} (step, name) points equal the fault-free run's to 1e-6; total {cluster.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<IReadOnlyList<MetricPointRecord>> RunFaultFreeAsync(FaultCluster cluster, string trialId)
    {
        var trial = await cluster.GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}");
        var directory = Path.Combine(cluster.Directory, "fault-free");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "config.json");
        await File.WriteAllTextAsync(config, trial.GetProperty("config").GetRawText());
        var (exit, text) = await cluster.RunCliAsync("fault-free", ["trial-run", "--config", config, "--out", directory, "--device", "cpu", "--threads", "1"]);
        Assert.True(exit == 0, $"The fault-free trial run exited with {exit}:\n{text[^Math.Min(text.Length, 4000)..]}");
        var points = new List<MetricPointRecord>();
        foreach (var line in text.Split('\n'))
        {
            try
            {
                if (MetricPointRecord.FromTrialEvent(line.Trim()) is { } point)
                {
                    points.Add(point);
                }
            }
            catch (JsonException)
            {
                // A log line that happens to start with a brace.
            }
        }

        Assert.NotEmpty(points);
        return points;
    }
}
