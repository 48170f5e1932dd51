using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// Many slots (default 200, over 10 runner silos and a coordinator silo, all in this process) on PostgreSQL, with a
/// steady supply of no-op trials, for a fixed window: errors, completed trials per second and placement latency.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<bool> RunAsync(BenchSettings settings, PostgresServer postgres, TextWriter output, CancellationToken cancellationToken)
    {
        var silos = settings.Silos;
        var slotsPerSilo = (settings.LoadSlots + silos - 1) / silos;
        output.WriteLine($"== load: coordinator silo + {silos} runner silos x {slotsPerSilo} slots = {silos * slotsPerSilo} slots, PostgreSQL, " +
            $"{settings.Seconds:0.#} s window after {settings.WarmupSeconds:0.#} s warm-up, {settings.LoadTrials} no-op trials supplied");
        var database = "bench_load_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await postgres.CreateDatabaseAsync(database);
        var root = Path.Combine(Path.GetTempPath(), "sweepcluster-load-" + Guid.NewGuid().ToString("N")[..12]);
        await using var store = await SqlTrialStore.OpenPostgresAsync(connection, TimeProvider.System, null, cancellationToken);
        await using var cluster = await BenchCluster.StartPostgresAsync(store, connection, root, silos, slotsPerSilo, cancellationToken);

        cluster.Errors.IsRecording = true;
        var sweepIds = await cluster.SubmitAsync("load", settings.LoadTrials, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);

        var completedBefore = cluster.Succeeded;
        var windowStart = PlacementRecorder.Now;
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
        var windowEnd = PlacementRecorder.Now;
        var completed = cluster.Succeeded - completedBefore;
        cluster.Errors.IsRecording = false;
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(windowStart, windowEnd).TotalSeconds;
        var ranDry = cluster.Succeeded >= settings.LoadTrials;
        var samples = cluster.Placements.Between(windowStart, windowEnd);
        var placement = samples.Select(s => s.PlacementMs).ToList();
        var steady = samples.Where(s => s.SlotBound).Select(s => s.PlacementMs).ToList();
        var trials = new List<SweepCluster.Cluster.Store.TrialRecord>();
        foreach (var sweepId in sweepIds)
        {
            trials.AddRange(await store.ListTrialsAsync(sweepId, cancellationToken));
        }

        var succeeded = trials.Count(t => t.Snapshot.State == TrialState.Succeeded);
        var failed = trials.Count(t => t.Snapshot.State is TrialState.Failed or TrialState.Cancelled);
        var retried = trials.Count(t => t.Snapshot.CurrentAttempt > 1);
        var errors = cluster.Errors.Count + failed + retried;

        output.WriteLine($"submitted               {settings.LoadTrials} trials; completed during the warm-up and submission {completedBefore}");
        output.WriteLine($"completed in window     {completed} trials in {elapsed:0.00} s = {completed / elapsed:0.0} trials/s");
        output.WriteLine($"placement latency       p50 {Percentiles.Of(placement, 50):0.0} ms, p99 {Percentiles.Of(placement, 99):0.0} ms, max {Percentiles.Of(placement, 100):0.0} ms over {placement.Count} attempts started in the window " +
            $"({steady.Count} slot-bound: slot free -> next attempt started)");
        output.WriteLine($"errors                  {errors} ({cluster.Errors.Count} logged, {failed} trials failed, {retried} retried){(cluster.Errors.Count > 0 ? ": " + string.Join(" | ", cluster.Errors.Messages) : string.Empty)}");
        output.WriteLine($"framework warnings      {cluster.Errors.Warnings}{(cluster.Errors.Warnings > 0 ? ": " + string.Join(" | ", cluster.Errors.WarningMessages) : string.Empty)}");
        output.WriteLine($"store check             {succeeded} trials succeeded in the store when the window closed");
        if (ranDry)
        {
            output.WriteLine($"WARNING: the supply of {settings.LoadTrials} trials ran out during the window; raise --load-trials for a steady supply.");
        }

        return errors == 0;
    }
}
