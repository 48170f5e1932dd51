namespace SweepCluster.Fault.Tests;

/// <summary>
/// The shape of the tests of an outage on the cluster's side (the coordinator process, or PostgreSQL): one trainer
/// silo runs a sweep of two trials, the outage hits while they train, and the sweep must still finish with every
/// trial run in its first attempt, every point stored exactly once.
/// </summary>
public static class OutageScenario
{
    public const int Rows = 2;

    /// <summary>Starts the cluster (a coordinator, one trainer silo with a slot per trial) and submits the sweep; returns its id.</summary>
    public static async Task<string> StartAsync(FaultCluster cluster, string name)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.StartCoordinator();
        cluster.StartSilo("trainer", cpuSlots: Rows);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var submitted = cluster.SubmitAsync(name, Rows);
        await cluster.WaitForSilosAsync(FaultTimeouts.Start, "trainer");
        return await submitted;
    }

    /// <summary>Waits until both trials train past a checkpoint with epochs still to go; returns them.</summary>
    public static Task<IReadOnlyList<TrialView>> WaitUntilTrainingAsync(FaultCluster cluster, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.WaitUntilAsync(async () =>
        {
            var trials = await cluster.GetTrialsAsync(sweepId);
            return trials.Count == Rows && trials.All(t => t.IsRunning && t.LastCheckpointArtifactId is not null)
                && trials.Any(t => t.ProgressStep <= FaultSweep.TotalSteps - (3 * FaultSweep.StepsPerEpoch)) ? trials : null;
        }, FaultTimeouts.Training, "both trials to train past a checkpoint");
    }

    /// <summary>Waits for the sweep and checks it: every trial succeeded in attempt 1, every (step, name) point stored exactly once.</summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<MetricPointRecord>>> CheckFinishedAsync(FaultCluster cluster, string sweepId, string timing)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, FaultTimeouts.Training);
        cluster.Note("sweep finished");
        Assert.True(trials.All(t => t.HasSucceeded && t.CurrentAttempt == 1), $"{timing}. Every trial should succeed in its first attempt: {string.Join("; ", trials)}\n{cluster.Diagnostics()}");
        var byTrial = new Dictionary<string, IReadOnlyList<MetricPointRecord>>(StringComparer.Ordinal);
        HashSet<(long, string)>? keys = null;
        foreach (var trial in trials)
        {
            var attempts = await cluster.GetAttemptsAsync(trial.Id);
            Assert.True(attempts is [{ Number: 1, State: "succeeded" }], $"{timing}. Trial {trial.Id} has attempts {string.Join(", ", attempts)}; expected one, succeeded.");

            // Every batch sent around the outage arrived exactly once: nothing dropped, nothing doubled.
            var points = await cluster.GetMetricsAsync(trial.Id);
            Assert.Empty(LatestAttemptMetrics.Duplicates(points));
            var latest = LatestAttemptMetrics.Resolve(points);
            Assert.Equal(Enumerable.Range(1, FaultSweep.TotalSteps).Select(s => (long)s), latest.Keys.Select(k => k.Step).Distinct().Order());
            keys ??= [.. latest.Keys];
            Assert.True(keys.SetEquals(latest.Keys), $"Trial {trial.Id} has a different set of (step, name) points than its sibling of the same shape.");
            byTrial[trial.Id] = points;
        }

        cluster.Note($"{trials.Count} trials, one attempt each, {keys!.Count} (step, name) points each, none missing, none twice");
        return byTrial;
    }
}
