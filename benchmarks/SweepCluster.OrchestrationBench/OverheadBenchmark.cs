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
        output.WriteLine($"== overhead: {settings.Trials} no-op trials over {settings.Workers} slots ({silos} silos x {settings.SlotsPerSilo} slot(s)); Optuna: {settings.Trials} trials, {settings.Workers} workers ({settings.OptunaMode})");
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
                ITrialStore store;
                if (kind == "sqlite")
                {
                    store = await SqliteTrialStore.OpenAsync(Path.Combine(root, "store.db"), TimeProvider.System, cancellationToken);
                    optunaUrl = $"sqlite:///{Path.Combine(root, "optuna.db")}";
                }
                else
                {
                    var server = await postgres(cancellationToken);
                    var suffix = Guid.NewGuid().ToString("N")[..8];
                    store = await PostgresTrialStore.OpenAsync(await server.CreateDatabaseAsync("bench_overhead_" + suffix), TimeProvider.System, null, cancellationToken);
                    var optunaDatabase = "optuna_" + suffix;
                    await server.CreateDatabaseAsync(optunaDatabase);
                    optunaUrl = $"postgresql+psycopg2://postgres@127.0.0.1:{server.Port}/{optunaDatabase}";
                }

                TimeSpan wall;
                int errors;
                await using (store)
                {
                    (wall, errors) = await RunOursAsync(settings, store, silos, cancellationToken);
                }

                ours = Row($"SweepCluster {kind}", wall, settings);
                output.WriteLine(ours + (errors > 0 ? $"  ERRORS {errors}" : string.Empty));
                rows.Add(ours);
                allGood &= errors == 0;
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

    private static async Task<(TimeSpan Wall, int Errors)> RunOursAsync(BenchSettings settings, ITrialStore store, int silos, CancellationToken cancellationToken)
    {
        await using var cluster = await BenchCluster.StartAsync(store, cancellationToken);
        await cluster.StartSilosAsync(silos, settings.SlotsPerSilo, cancellationToken);
        var recorder = cluster.Recorder;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var clock = Stopwatch.StartNew();
        var done = recorder.WaitForCompletionsAsync(settings.Trials, timeout.Token);
        var sweepIds = await cluster.SubmitAsync("overhead", settings.Trials, timeout.Token);
        await done;
        var wall = clock.Elapsed;
        var errors = recorder.Errors;
        await cluster.StopSilosAsync();
        var succeeded = 0;
        foreach (var sweepId in sweepIds)
        {
            succeeded += (await store.ListTrialsAsync(sweepId, cancellationToken)).Count(t => t.Snapshot.State == TrialState.Succeeded);
        }

        if (succeeded != settings.Trials)
        {
            recorder.AddError($"the store holds {succeeded} succeeded trials, not {settings.Trials}");
            errors++;
        }

        return (wall, errors);
    }

    private static string Row(string who, TimeSpan wall, BenchSettings settings)
    {
        var seconds = wall.TotalSeconds;
        var perTrialSlotMs = seconds * settings.Workers / settings.Trials * 1000;
        var perTrialMs = seconds / settings.Trials * 1000;
        return $"{who,-30} wall {seconds,8:0.00} s  {settings.Trials / seconds,8:0.0} trials/s  overhead/trial {perTrialSlotMs,8:0.00} ms (x{settings.Workers} workers)  wall/trial {perTrialMs,7:0.000} ms";
    }
}
