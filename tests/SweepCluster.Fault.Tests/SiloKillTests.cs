using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A trainer silo SIGKILLed mid-trial (its trial child with it, as when the machine dies): membership declares it
/// dead, the trial resumes on the other silo from its last checkpoint as attempt 2, every point is stored once, and
/// the report's curves are exactly those of a fault-free run of the same configuration.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class SiloKillTests(FaultPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_silos_trial_resumes_on_another_silo_from_its_checkpoint_with_every_point_once_and_fault_free_curves()
    {
        var store = await FaultPostgres.CreateStoreAsync(postgres.Server, "127.0.0.1", "silo_kill");
        await using var cluster = FaultCluster.Create("silo-kill", store, output);
        cluster.StartCoordinator();
        cluster.StartSilo("s1", cpuSlots: 1);
        cluster.StartSilo("s2", cpuSlots: 1);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var submitted = cluster.SubmitAsync("silo-kill", rows: 1);
        await cluster.WaitForSilosAsync(FaultTimeouts.Start, "s1", "s2");
        var sweepId = await submitted;

        // Past its first checkpoint, with epochs still to go: the kill must land mid-trial.
        var victim = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.IsRunning && t.LastCheckpointArtifactId is not null && t.AttemptSiloId is not null
                && t.ProgressStep <= FaultSweep.TotalSteps - (3 * FaultSweep.StepsPerEpoch)),
            FaultTimeouts.Training, "the trial to run past a checkpoint");
        var silo = cluster.SiloProcess(victim.AttemptSiloId!);
        silo.KillTree();
        var killedAt = DateTimeOffset.UtcNow;
        cluster.Note($"SIGKILL to {silo.Name} (pid {silo.Id}) and its child while it ran {victim}");

        // Time to the resumed attempt's first stored step: detection, requeue, placement, child start, first batch.
        var firstResumed = await cluster.WaitUntilAsync(
            async () => (await cluster.GetMetricsAsync(victim.Id)).Where(p => p.Attempt >= 2).MinBy(p => p.RecordedAt),
            FaultTimeouts.Failover, "the trial's attempt 2 to store its first step after the SIGKILL (kill -> resumed first step: none in time)",
            () => cluster.DescribeTrialAsync(sweepId, victim.Id));
        var failover = await FailoverTimes.ReadAsync(cluster, sweepId, victim.Id, killedAt, firstResumed.RecordedAt!.Value);
        cluster.Note($"from the kill: {failover} (step {firstResumed.Step})");
        var timing = $"kill -> attempt 1 lost {failover.Lost.TotalSeconds:0.0} s, kill -> resumed first step {failover.FirstStep.TotalSeconds:0.0} s";

        // The same configuration without faults, run beside the rest of the resumed attempt (one thread each).
        var faultFree = FaultFreeRun.RunAsync(cluster, victim.Id);

        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, FaultTimeouts.Training);
        cluster.Note("sweep finished");
        var trial = trials.Single();
        Assert.True(trial.HasSucceeded, $"{timing}. The trial did not succeed: {trial}\n{cluster.Diagnostics()}");

        var attempts = await cluster.GetAttemptsAsync(victim.Id);
        cluster.Note($"attempts: {string.Join(", ", attempts)}");
        Assert.True(attempts.Count == 2, $"{timing}. Expected attempts 1 (lost) and 2 (succeeded): {string.Join(", ", attempts)}");
        Assert.Equal(("lost", victim.AttemptSiloId), (attempts[0].State, attempts[0].SiloId));
        Assert.Equal("succeeded", attempts[1].State);
        Assert.NotEqual(victim.AttemptSiloId, attempts[1].SiloId);

        var points = await cluster.GetMetricsAsync(victim.Id);
        Assert.Empty(LatestAttemptMetrics.Duplicates(points));

        // Resumed, not started over: attempt 2 begins right after an epoch's checkpoint that attempt 1 reached.
        var firstStep = points.Where(p => p.Attempt == 2).Min(p => p.Step);
        var lastStepOfAttempt1 = points.Where(p => p.Attempt == 1).Max(p => p.Step);
        cluster.Note($"attempt 1 reported up to step {lastStepOfAttempt1}; attempt 2 resumed at step {firstStep}");
        Assert.True(firstStep > FaultSweep.StepsPerEpoch && (firstStep - 1) % FaultSweep.StepsPerEpoch == 0 && firstStep - 1 <= lastStepOfAttempt1,
            $"{timing}. Attempt 2 began at step {firstStep} (attempt 1 reached {lastStepOfAttempt1}): not right after one of attempt 1's checkpoints.");

        var latest = LatestAttemptMetrics.Resolve(points);
        Assert.Equal(Enumerable.Range(1, FaultSweep.TotalSteps).Select(s => (long)s), latest.Keys.Select(k => k.Step).Distinct().Order());

        // The same configuration without faults: on the CPU, with one thread, training is deterministic and a resume
        // restores the whole state, so every value agrees, and so do the report's curves.
        var reference = LatestAttemptMetrics.Resolve(await faultFree);
        var differences = LatestAttemptMetrics.Compare(latest, reference, tolerance: 1e-6);
        Assert.True(differences.Count == 0, $"{timing}. {differences.Count} difference(s) from the fault-free run, first: {string.Join("\n", differences.Take(10))}");
        var curves = (await ReportCurves.ReadAsync(cluster, sweepId))[victim.Id];
        var curveDifferences = curves.Compare(ReportCurves.FromPoints(reference), tolerance: 1e-6);
        Assert.True(curves.CrossLoss.Count == FaultSweep.Epochs && curves.Psnr.Count > 0, $"The report has {curves.CrossLoss.Count} cross loss and {curves.Psnr.Count} PSNR point(s).");
        Assert.True(curveDifferences.Count == 0, $"{timing}. The report's curves differ from the fault-free run's: {string.Join("\n", curveDifferences.Take(10))}");
        cluster.Note($"{latest.Count} (step, name) points and the report's curves ({curves.CrossLoss.Count} + {curves.Psnr.Count} points) equal the fault-free run's to 1e-6");
        cluster.Note(timing);
    }
}
