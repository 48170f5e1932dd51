using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// The shared shape of the restart tests: two silos run a sweep, an outage of the coordinator's
/// side (the coordinator process, or its database) hits mid-sweep, and the sweep must still finish
/// with every trial run exactly once: the silos' children keep training and their reports are retried.
/// </summary>
public static class OutageScenario
{
    /// <summary>
    /// Long enough that no lease runs out across the outage (a lost lease would start a second
    /// attempt, which is what these tests rule out); silos beat every 2 s.
    /// </summary>
    public const int LeaseTtlSeconds = 30;

    public static async Task RunAsync(FaultCluster cluster, string store, string name, Func<Task> outage, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(outage);
        ArgumentNullException.ThrowIfNull(output);
        await cluster.StartCoordinatorAsync(store, LeaseTtlSeconds);
        var silos = new[] { "a", "b" }.Select(id => cluster.StartSilo(id, cpuSlots: 1, heartbeatSeconds: 2)).ToList();
        var sweepId = await cluster.SubmitAsync(await cluster.WriteSweepAsync(name, rows: 3));

        var running = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.IsRunning && t.ProgressEpoch >= 2 && t.ProgressEpoch < FaultSweep.Epochs),
            TimeSpan.FromMinutes(2), "a trial running at epoch 2 or later");
        var outageStart = cluster.Elapsed;
        output.WriteLine($"{outageStart.TotalSeconds:0.0} s: outage begins while {running}");
        await outage();
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: outage over ({(cluster.Elapsed - outageStart).TotalSeconds:0.0} s)");

        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, TimeSpan.FromMinutes(3));
        output.WriteLine($"{cluster.Elapsed.TotalSeconds:0.0} s: sweep finished");
        foreach (var silo in silos)
        {
            Assert.False(silo.HasExited, $"{silo.Name} gave up during the outage (exit {(silo.HasExited ? silo.ExitCode : 0)}):\n{silo.Tail()}");
        }

        Assert.True(trials.All(t => t.HasSucceeded && t.CurrentAttempt == 1), $"Every trial should succeed in its first attempt: {string.Join("; ", trials)}\n{cluster.Diagnostics()}");
        var expectedSteps = Enumerable.Range(1, FaultSweep.Epochs * FaultSweep.StepsPerEpoch).Select(s => (long)s).ToList();
        HashSet<(long, string)>? keys = null;
        foreach (var trial in trials)
        {
            var attempts = await cluster.GetAttemptsAsync(trial.Id);
            Assert.True(attempts is [(1, "succeeded", _)], $"Trial {trial.Id} has attempts {string.Join(", ", attempts)}; expected one, succeeded.");

            // Every batch sent around the outage arrived exactly once: nothing dropped, nothing doubled.
            var points = await cluster.GetMetricsAsync(trial.Id);
            Assert.Empty(LatestAttemptMetrics.Duplicates(points));
            var latest = LatestAttemptMetrics.Resolve(points);
            Assert.Equal(expectedSteps, latest.Keys.Select(k => k.Step).Distinct().Order());
            keys ??= [.. latest.Keys];
            Assert.True(keys.SetEquals(latest.Keys), $"Trial {trial.Id} has a different set of (step, name) points than its siblings of the same shape.");
        }

        output.WriteLine($"{trials.Count} trials, one attempt each, {keys!.Count} (step, name) points each; total {cluster.Elapsed.TotalSeconds:0.0} s");
    }
}
