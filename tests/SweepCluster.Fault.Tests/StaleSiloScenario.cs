namespace SweepCluster.Fault.Tests;

/// <summary>
/// The shape of the tests of a silo that stops answering without dying (hung, or cut off) and comes back: the trial it
/// ran resumes on another silo, and once the stale silo is back, whatever it still sends for its old attempt is
/// refused and changes nothing. The stale silo, told by membership that it was declared dead, ends itself.
/// </summary>
public static class StaleSiloScenario
{
    /// <param name="cut">Makes the silo stale (SIGSTOP, link down).</param>
    /// <param name="heal">Brings it back (SIGCONT, link up).</param>
    public static async Task RunAsync(FaultCluster cluster, string sweepId, string fault, Action<ClusterProcess> cut, Action<ClusterProcess> heal)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(cut);
        ArgumentNullException.ThrowIfNull(heal);
        var victim = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.IsRunning && t.LastCheckpointArtifactId is not null && t.AttemptSiloId is not null
                && t.ProgressStep <= FaultSweep.TotalSteps - (3 * FaultSweep.StepsPerEpoch)),
            FaultTimeouts.Training, "the trial to run past a checkpoint");
        var stale = cluster.SiloProcess(victim.AttemptSiloId!);
        cut(stale);
        var cutAt = DateTimeOffset.UtcNow;
        cluster.Note($"{fault}: {stale.Name} (pid {stale.Id}) while it ran {victim}");

        // Detection, then the resumed attempt's first stored step, all while the stale silo is still out.
        var firstResumed = await cluster.WaitUntilAsync(
            async () => (await cluster.GetMetricsAsync(victim.Id)).Where(p => p.Attempt >= 2).MinBy(p => p.RecordedAt),
            FaultTimeouts.Failover, $"trial {victim.Id} to resume elsewhere while {stale.Name} is out ({fault} -> resumed first step: none in time)",
            () => cluster.DescribeTrialAsync(sweepId, victim.Id));
        var attempts = await cluster.GetAttemptsAsync(victim.Id);
        var lostAt = attempts.Single(a => a.Number == 1).EndedAt!.Value;
        var failover = await FailoverTimes.ReadAsync(cluster, sweepId, victim.Id, cutAt, firstResumed.RecordedAt!.Value);
        var timing = $"{fault} -> attempt 1 lost (detection) {failover.Lost.TotalSeconds:0.0} s, -> resumed first step {failover.FirstStep.TotalSeconds:0.0} s";
        cluster.Note($"from the {fault}: {failover} (step {firstResumed.Step}, on {attempts.Single(a => a.Number == 2).SiloId})");
        Assert.False(stale.HasExited, $"{stale.Name} exited while it was out (exit {(stale.HasExited ? stale.ExitCode : 0)}): the test did not make it stale.\n{cluster.Diagnostics()}");
        var attempt1Before = (await cluster.GetMetricsAsync(victim.Id)).Count(p => p.Attempt == 1);
        var staleLogBefore = stale.ReadLog().Length;

        heal(stale);
        var healedAt = DateTimeOffset.UtcNow;
        cluster.Note($"{stale.Name} back after {(healedAt - cutAt).TotalSeconds:0.0} s");

        // A silo declared dead learns it from the membership table as soon as it runs again, and ends itself.
        var ended = await stale.WaitForExitAsync(FaultTimeouts.Failover);
        var staleLog = stale.ReadLog()[staleLogBefore..];
        var aboutTrial = staleLog.Split('\n').Where(l => l.Contains(victim.Id, StringComparison.Ordinal) || l.Contains("Dead", StringComparison.Ordinal)).Take(12).ToList();
        cluster.Note($"{stale.Name} {(ended ? $"exited ({stale.ExitCode}) {(DateTimeOffset.UtcNow - healedAt).TotalSeconds:0.0} s after it came back" : "is still running")}; "
            + $"what it logged since about trial {victim.Id} or its death:\n    {string.Join("\n    ", aboutTrial)}");
        Assert.True(ended, $"{timing}. {stale.Name} was declared dead but still runs {FaultTimeouts.Failover.TotalSeconds:0} s after it came back.\n{cluster.Diagnostics()}");

        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, FaultTimeouts.Training);
        cluster.Note("sweep finished");
        var trial = trials.Single(t => t.Id == victim.Id);
        var final = await cluster.GetAttemptsAsync(victim.Id);
        cluster.Note($"attempts: {string.Join(", ", final)}");
        Assert.True(trial.HasSucceeded && trial.CurrentAttempt == 2, $"{timing}. The trial should have succeeded in attempt 2: {trial}\n{cluster.Diagnostics()}");
        Assert.True(final.Count == 2 && final[0].State == "lost" && final[0].SiloId == victim.AttemptSiloId && final[1].State == "succeeded" && final[1].SiloId != victim.AttemptSiloId,
            $"{timing}. Expected attempt 1 lost on {victim.AttemptSiloId} and attempt 2 succeeded elsewhere: {string.Join(", ", final)}");

        // The stale silo's late reports changed nothing: attempt 1 has no point, and no artifact, stored after it was
        // lost, nor after the stale silo came back (a write begun before the fault would carry an earlier time).
        var points = await cluster.GetMetricsAsync(victim.Id);
        var attempt1After = points.Count(p => p.Attempt == 1);
        Assert.True(attempt1After == attempt1Before, $"{timing}. Attempt 1 had {attempt1Before} point(s) while {stale.Name} was out and {attempt1After} after it came back.\n{cluster.Diagnostics()}");
        var late = points.Where(p => p.Attempt == 1 && p.RecordedAt > lostAt).OrderBy(p => p.RecordedAt).ToList();
        Assert.True(late.Count == 0, $"{timing}. {late.Count} point(s) of attempt 1 were stored after it was lost at {lostAt:O} "
            + $"(attempt 1 had {attempt1Before} before {stale.Name} came back, {points.Count(p => p.Attempt == 1)} after); first: "
            + string.Join("; ", late.Take(5).Select(p => $"step {p.Step} {p.Name} at {p.RecordedAt:O}")) + $"\n{cluster.Diagnostics()}");
        var lateArtifacts = (await cluster.GetArtifactsAsync(victim.Id)).Where(a => a.Attempt == 1 && a.CreatedAt > lostAt).ToList();
        Assert.True(lateArtifacts.Count == 0, $"{timing}. Artifact(s) of attempt 1 were stored after it was lost: {string.Join(", ", lateArtifacts)}");

        Assert.Empty(LatestAttemptMetrics.Duplicates(points));
        var latest = LatestAttemptMetrics.Resolve(points);
        var missing = Enumerable.Range(1, FaultSweep.TotalSteps).Select(s => (long)s).Except(latest.Keys.Select(k => k.Step)).ToList();
        if (missing.Count > 0)
        {
            var ranges = points.GroupBy(p => p.Attempt).OrderBy(g => g.Key).Select(g => $"attempt {g.Key}: steps {g.Min(p => p.Step)}..{g.Max(p => p.Step)} ({g.Count()} points)");
            var artifacts = (await cluster.GetArtifactsAsync(victim.Id)).Select(a => $"{a}");
            Assert.Fail($"{timing}. Steps {missing.Min()}..{missing.Max()} ({missing.Count}) have no point from any attempt; {string.Join(", ", ranges)}; "
                + $"attempt 2's first stored step {firstResumed.Step}; artifacts: {string.Join(", ", artifacts)}\n{cluster.Diagnostics()}");
        }

        Assert.True(latest.Where(p => p.Key.Step >= firstResumed.Step).All(p => p.Value.Attempt == 2),
            "A step from attempt 2's first on is read from another attempt than attempt 2.");
        cluster.Note($"attempt 1: {points.Count(p => p.Attempt == 1)} points, none after it was lost; attempt 2 from step {firstResumed.Step}; {latest.Count} (step, name) points, each once");
        cluster.Note(timing);
    }
}
