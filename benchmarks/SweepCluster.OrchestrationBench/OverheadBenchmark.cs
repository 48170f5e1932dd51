using System.Diagnostics;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// Per-trial orchestration overhead: N no-op trials over W slots through the real coordinator and
/// silos, on SQLite and on PostgreSQL, each next to Optuna running N no-op trials with W workers on
/// the same kind of storage.
/// </summary>
/// <remarks>
/// Our wall time runs from the first submit request (silos already registered and idle, as Optuna's
/// workers are ready once the study exists) until the N-th completion was acknowledged; submitting
/// is inside it because Optuna creates each trial's row inside its own timed loop.
/// </remarks>
internal static class OverheadBenchmark
{
    public static async Task<bool> RunAsync(BenchSettings settings, Func<CancellationToken, Task<PostgresServer>> postgres, TextWriter output, CancellationToken cancellationToken)
    {
        var silos = settings.Workers / settings.SlotsPerSilo;
        output.WriteLine($"== overhead: {settings.Trials} no-op trials over {settings.Workers} slots (SQLite: one embedded silo; PostgreSQL: a coordinator silo and {silos} runner silos x {settings.SlotsPerSilo} slot(s)); Optuna: {settings.Trials} trials, {settings.Workers} workers ({settings.OptunaMode})");
        output.WriteLine("   overhead per trial = wall x workers / trials (slot time each trial costs); wall/trial = wall / trials (throughput view)");
        var allGood = true;
        var rows = new List<string>();
        foreach (var kind in settings.Stores)
        {
            var root = Path.Combine(Path.GetTempPath(), "sweepcluster-overhead-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            try
            {
                string ours;
                string optunaUrl;
                string? connection = null;
                ITrialStore store;
                if (kind == "sqlite")
                {
                    store = await SqlTrialStore.OpenSqliteAsync(Path.Combine(root, "store.db"), TimeProvider.System, cancellationToken);
                    optunaUrl = $"sqlite:///{Path.Combine(root, "optuna.db")}";
                }
                else
                {
                    var server = await postgres(cancellationToken);
                    var suffix = Guid.NewGuid().ToString("N")[..8];
                    connection = await server.CreateDatabaseAsync("bench_overhead_" + suffix);
                    store = await SqlTrialStore.OpenPostgresAsync(connection, TimeProvider.System, null, cancellationToken);
                    var optunaDatabase = "optuna_" + suffix;
                    await server.CreateDatabaseAsync(optunaDatabase);
                    optunaUrl = $"postgresql+psycopg2://postgres@127.0.0.1:{server.Port}/{optunaDatabase}";
                }

                OursResult result;
                await using (store)
                {
                    result = await RunOursAsync(settings, kind, store, root, connection, cancellationToken);
                }

                var wall = result.Wall;
                ours = Row($"SweepCluster {kind}", wall, settings);
                output.WriteLine(ours + (result.Errors > 0 ? $"  ERRORS {result.Errors}" : string.Empty));
                var steady = result.Samples.Where(s => s.SlotBound).Select(s => s.PlacementMs).ToList();
                var first = result.Samples.Where(s => !s.SlotBound).Select(s => s.PlacementMs).ToList();
                var all = result.Samples.Select(s => s.PlacementMs).ToList();
                output.WriteLine($"{"",-30} {result.Shape}; errors {result.Errors}; framework warnings {result.Warnings}");
                output.WriteLine($"{"",-30} placement latency p50 {Percentiles.Of(all, 50):0.0} ms, p99 {Percentiles.Of(all, 99):0.0} ms over {all.Count} attempts; " +
                    $"slot-bound (slot free -> next start) p50 {Percentiles.Of(steady, 50):0.0} ms, p99 {Percentiles.Of(steady, 99):0.0} ms; " +
                    $"first wave (submit sent -> start, {first.Count}) p50 {Percentiles.Of(first, 50):0} ms, max {Percentiles.Of(first, 100):0} ms");
                foreach (var message in result.Messages)
                {
                    output.WriteLine($"{"",-30} {message}");
                }

                rows.Add(ours);
                allGood &= result.Errors == 0;
                if (settings.RunOptuna)
                {
                    var optuna = await OptunaReference.RunAsync(settings, optunaUrl, cancellationToken);
                    var line = Row($"Optuna {optuna.Version} {kind}", optuna.Wall, settings)
                        + (optuna.Errors > 0 || optuna.Complete != settings.Trials ? $"  errors {optuna.Errors}, complete {optuna.Complete}/{settings.Trials}" : string.Empty);
                    output.WriteLine(line);
                    output.WriteLine($"{"ratio Optuna/ours",-30} {optuna.Wall / wall:0.00}x overhead per trial ({(optuna.Wall / wall >= 5 ? "meets" : "misses")} the issue's 5x goal)");
                }
            }
            finally
            {
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }
            }
        }

        return allGood;
    }

    private sealed record OursResult(TimeSpan Wall, int Errors, int Warnings, IReadOnlyList<string> Messages, string Shape, IReadOnlyList<PlacementRecorder.Sample> Samples);

    /// <param name="connection">The PostgreSQL database of the store and of Orleans; null for the embedded SQLite shape.</param>
    private static async Task<OursResult> RunOursAsync(BenchSettings settings, string kind, ITrialStore store, string root, string? connection, CancellationToken cancellationToken)
    {
        var silos = settings.Workers / settings.SlotsPerSilo;
        await using var cluster = connection is null
            ? await BenchCluster.StartEmbeddedAsync(store, Path.Combine(root, "state"), settings.Workers, cancellationToken)
            : await BenchCluster.StartPostgresAsync(store, connection, Path.Combine(root, "attempts"), silos, settings.SlotsPerSilo, cancellationToken);
        var shape = connection is null
            ? $"one embedded silo, {settings.Workers} slots"
            : $"coordinator silo + {silos} runner silos x {settings.SlotsPerSilo} slots";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        cluster.Errors.IsRecording = true;
        var started = PlacementRecorder.Now;
        var clock = Stopwatch.StartNew();
        var sweepIds = await cluster.SubmitAsync("overhead", settings.Trials, timeout.Token);
        await cluster.WaitForSucceededAsync(settings.Trials, timeout.Token);
        var wall = clock.Elapsed;
        cluster.Errors.IsRecording = false;
        var samples = cluster.Placements.Between(started, PlacementRecorder.Now);
        var errors = cluster.Errors.Count;
        var messages = cluster.Errors.Messages.Concat(cluster.Errors.WarningMessages).ToList();
        var succeeded = 0;
        foreach (var sweepId in sweepIds)
        {
            succeeded += (await store.ListTrialsAsync(sweepId, cancellationToken)).Count(t => t.Snapshot.State == TrialState.Succeeded && t.Snapshot.CurrentAttempt == 1);
        }

        if (succeeded != settings.Trials)
        {
            messages.Add($"the store holds {succeeded} trials succeeded at their first attempt, not {settings.Trials}");
            errors++;
        }

        return new OursResult(wall, errors, cluster.Errors.Warnings, messages, $"{kind}: {shape}", samples);
    }

    private static string Row(string who, TimeSpan wall, BenchSettings settings)
    {
        var seconds = wall.TotalSeconds;
        var perTrialSlotMs = seconds * settings.Workers / settings.Trials * 1000;
        var perTrialMs = seconds / settings.Trials * 1000;
        return $"{who,-30} wall {seconds,8:0.00} s  {settings.Trials / seconds,8:0.0} trials/s  overhead/trial {perTrialSlotMs,8:0.00} ms (x{settings.Workers} workers)  wall/trial {perTrialMs,7:0.000} ms";
    }
}
