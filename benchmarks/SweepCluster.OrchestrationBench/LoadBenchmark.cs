using System.Diagnostics;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// Many silos (default 200, one CPU slot each) against one coordinator on PostgreSQL, with a steady
/// supply of no-op trials, for a fixed window: errors, claim latency and completed trials per second.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<bool> RunAsync(BenchSettings settings, PostgresServer postgres, TextWriter output, CancellationToken cancellationToken)
    {
        output.WriteLine($"== load: {settings.Silos} silos x 1 slot, one coordinator, PostgreSQL, {settings.Seconds:0.#} s window after {settings.WarmupSeconds:0.#} s warm-up, {settings.LoadTrials} no-op trials supplied");
        var database = "bench_load_" + Guid.NewGuid().ToString("N")[..8];
        var connection = await postgres.CreateDatabaseAsync(database);
        await using var store = await PostgresTrialStore.OpenAsync(connection, TimeProvider.System, null, cancellationToken);
        using var histogram = new ClaimHistogramListener();
        await using var cluster = await BenchCluster.StartAsync(store, cancellationToken);

        // The supply is in the store before the first silo asks: submitting under load would stretch the warm-up.
        const string sweepId = "load";
        await cluster.SubmitAsync(sweepId, settings.LoadTrials, cancellationToken);
        await cluster.StartSilosAsync(settings.Silos, 1, cancellationToken);
        var recorder = cluster.Recorder;
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);

        var completedBefore = recorder.Completions;
        var window = Stopwatch.StartNew();
        recorder.IsRecording = true;
        histogram.IsRecording = true;
        await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
        recorder.IsRecording = false;
        histogram.IsRecording = false;
        var elapsed = window.Elapsed.TotalSeconds;
        var completed = recorder.RecordedCompletions;
        var ranDry = recorder.Completions >= settings.LoadTrials;
        var errorsInRun = recorder.Errors;
        await cluster.StopSilosAsync();

        var trials = await store.ListTrialsAsync(sweepId, cancellationToken);
        var succeeded = trials.Count(t => t.Snapshot.State == TrialState.Succeeded);
        var client = recorder.ClaimMilliseconds;
        var server = histogram.Milliseconds;
        output.WriteLine($"completed in window     {completed} trials in {elapsed:0.00} s = {completed / elapsed:0.0} trials/s (warm-up completed {completedBefore})");
        output.WriteLine($"claim latency (client)  p50 {Percentiles.Of(client, 50):0.0} ms, p99 {Percentiles.Of(client, 99):0.0} ms, max {Percentiles.Of(client, 100):0.0} ms over {client.Count} claims that returned work");
        output.WriteLine($"claim time (coordinator histogram sweepcluster.claim.duration) p50 {Percentiles.Of(server, 50):0.0} ms, p99 {Percentiles.Of(server, 99):0.0} ms over {server.Count} store claims");
        output.WriteLine($"errors                  {errorsInRun}{(errorsInRun > 0 ? ": " + string.Join(" | ", recorder.ErrorMessages) : string.Empty)}");
        output.WriteLine($"store check             {succeeded} trials succeeded in the store in all (warm-up, window and the drain at stop)");
        if (ranDry)
        {
            output.WriteLine($"WARNING: the supply of {settings.LoadTrials} trials ran out during the window; raise --load-trials for a steady supply.");
        }

        return errorsInRun == 0;
    }
}
