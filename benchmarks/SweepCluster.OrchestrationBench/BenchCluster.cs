using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Silo;
using SweepCluster.Silo.Wire;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// A real SweepCluster Orleans cluster in this process with the no-op trainer: the coordinator (ASP.NET Core on
/// loopback, port 0, and an Orleans silo) and the runner silos. Trials are submitted through the user API, as
/// <c>sweepcluster submit</c> does.
/// </summary>
/// <remarks>
/// <para><b>Embedded</b> (<see cref="StartEmbeddedAsync"/>, the SQLite shape of <c>sweepcluster run</c>): one silo,
/// grain state in SQLite under the state directory, the store on SQLite, the coordinator's API and the runner with all
/// the slots in the same silo.</para>
/// <para><b>Cluster</b> (<see cref="StartPostgresAsync"/>, the shape of <c>sweepcluster coordinator</c> and
/// <c>sweepcluster silo</c>): a coordinator silo without slots and runner silos of K slots each, every one on
/// <c>UseSweepClusterPostgres</c> (membership, grain state and reminders in one PostgreSQL database) on its own loopback
/// ports. The silos share one store instance (one connection pool), where separate processes would each open theirs.</para>
/// </remarks>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string UserToken = "orchestration-bench-user-token-0123456789";

    // Stays under the coordinator's 4 MiB request body limit with room to spare.
    private const int SubmitChunk = 2000;

    private static readonly string[] ErrorWords = ["failed", "refused", "could not", "no longer", "ignored"];

    private readonly WebApplication _coordinator;
    private readonly List<IHost> _silos;
    private readonly List<SlotRunner> _runners;
    private readonly string _workRoot;
    private readonly HttpClient _user;

    private BenchCluster(WebApplication coordinator, List<IHost> silos, List<SlotRunner> runners, string workRoot, BenchErrors errors, PlacementRecorder placements)
    {
        _coordinator = coordinator;
        _silos = silos;
        _runners = runners;
        _workRoot = workRoot;
        Errors = errors;
        Placements = placements;
        _user = new HttpClient { BaseAddress = CoordinatorHost.GetListenAddress(coordinator), Timeout = TimeSpan.FromMinutes(5) };
        _user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
    }

    /// <summary>Warnings and errors logged, and runner log lines reporting a failure, while <see cref="BenchErrors.IsRecording"/>.</summary>
    public BenchErrors Errors { get; }

    /// <summary>When each trial was queued and each attempt started, per slot.</summary>
    public PlacementRecorder Placements { get; }

    /// <summary>Runner silos (the embedded silo counts as one).</summary>
    public int Silos => _runners.Count;

    /// <summary>Attempts the runners finished as succeeded: their completion was acknowledged by the trial grain.</summary>
    public int Succeeded => _runners.Sum(r => r.GetProgress().Succeeded);

    /// <summary>
    /// The embedded shape: one silo (<c>UseSweepClusterEmbedded</c>, grain state in <c>grains.db</c> under
    /// <paramref name="stateDirectory"/>) hosting the API over <paramref name="store"/> and a runner of
    /// <paramref name="slots"/> no-op slots.
    /// </summary>
    public static async Task<BenchCluster> StartEmbeddedAsync(ITrialStore store, string stateDirectory, int slots, CancellationToken cancellationToken)
    {
        var errors = new BenchErrors();
        var placements = new PlacementRecorder();
        var workRoot = Path.Combine(stateDirectory, "attempts");
        var runner = RunnerOptions("embedded", slots, workRoot, errors);
        var coordinator = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            Store = store,
            Urls = "http://127.0.0.1:0",
            UserToken = UserToken,
            ConfigureSilo = silo => silo
                .UseSweepClusterEmbedded(new EmbeddedOrleansOptions { StateDirectory = stateDirectory, Silo = SweepClusterRunner.Describe(runner) })
                .AddSweepClusterRunner(runner, new NoOpTrialLauncher(runner.SiloId, placements)),
            ConfigureLogging = logging => ConfigureLogging(logging, errors),
        });
        try
        {
            await coordinator.StartAsync(cancellationToken);
        }
        catch
        {
            await coordinator.DisposeAsync();
            throw;
        }

        var cluster = new BenchCluster(coordinator, [], [coordinator.Services.GetRequiredService<SlotRunner>()], workRoot, errors, placements);
        await cluster.WaitForSlotsAsync(slots, cancellationToken);
        return cluster;
    }

    /// <summary>
    /// The cluster shape on PostgreSQL: a coordinator silo (no slots) and <paramref name="silos"/> runner silos of
    /// <paramref name="slotsPerSilo"/> no-op slots, all joining through the database of <paramref name="connectionString"/>;
    /// returns once the scheduler sees every slot.
    /// </summary>
    public static async Task<BenchCluster> StartPostgresAsync(ITrialStore store, string connectionString, string workRoot, int silos, int slotsPerSilo, CancellationToken cancellationToken)
    {
        var errors = new BenchErrors();
        var placements = new PlacementRecorder();
        var clusterId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var coordinator = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            Store = store,
            Urls = "http://127.0.0.1:0",
            UserToken = UserToken,
            ConfigureSilo = silo => silo.UseSweepClusterPostgres(ClusterOptions(connectionString, clusterId, silo: null, applySchema: true)),
            ConfigureLogging = logging => ConfigureLogging(logging, errors),
        });
        var hosts = new List<IHost>();
        try
        {
            // The coordinator first: it applies Orleans' schema to the fresh database before the silos look for it.
            await coordinator.StartAsync(cancellationToken);
            for (var i = 0; i < silos; i++)
            {
                var runner = RunnerOptions($"bench-silo-{i:D2}", slotsPerSilo, workRoot, errors);
                var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
                ConfigureLogging(builder.Logging, errors);
                builder.UseOrleans(silo =>
                {
                    silo.Services.AddSweepClusterGrains(_ => store);
                    silo.UseSweepClusterPostgres(ClusterOptions(connectionString, clusterId, SweepClusterRunner.Describe(runner), applySchema: false))
                        .AddSweepClusterRunner(runner, new NoOpTrialLauncher(runner.SiloId, placements));
                });
                hosts.Add(builder.Build());
            }

            await Task.WhenAll(hosts.Select(h => h.StartAsync(cancellationToken)));
        }
        catch
        {
            foreach (var host in hosts)
            {
                host.Dispose();
            }

            await coordinator.DisposeAsync();
            throw;
        }

        var cluster = new BenchCluster(coordinator, hosts, [.. hosts.Select(h => h.Services.GetRequiredService<SlotRunner>())], workRoot, errors, placements);
        await cluster.WaitForSlotsAsync(silos * slotsPerSilo, cancellationToken);
        return cluster;
    }

    /// <summary>
    /// Submits <paramref name="trials"/> no-op trials through <c>POST /api/sweeps</c>, in chunks that fit the body limit,
    /// each chunk a sweep of its own (<c>prefix.0</c>, <c>prefix.1</c>, ...: a later submission of one sweep id would be
    /// its next revision, which lists only that chunk); each trial counts as queued when its chunk is sent. Returns the
    /// sweep ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> SubmitAsync(string prefix, int trials, CancellationToken cancellationToken)
    {
        var sweepIds = new List<string>();
        for (var first = 0; first < trials; first += SubmitChunk)
        {
            var count = Math.Min(SubmitChunk, trials - first);
            var sweepId = $"{prefix}.{first / SubmitChunk}";
            sweepIds.Add(sweepId);
            var ids = Enumerable.Range(first, count).Select(i => $"{prefix}-{i:D6}").ToArray();
            var body = new
            {
                sweep = new { id = sweepId, name = sweepId, question = "orchestration overhead", objectiveMetric = "objective", objectiveGoal = "maximize", sweepText = "no-op" },
                trials = ids.Select((id, k) => new
                {
                    id,
                    configName = "noop",
                    configKey = "noop",
                    seed = first + k,
                    parameters = new { i = first + k },
                    config = new { name = "noop", seed = first + k },
                    maxAttempts = 1,
                    order = first + k,
                }).ToArray(),
            };
            Placements.Queued(ids);
            using var response = await _user.PostAsJsonAsync("api/sweeps", body, CoordinatorJson.Options, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Submitting trials {first}..{first + count - 1} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}; " +
                    $"logged: {string.Join(" | ", Errors.Messages)}");
            }
        }

        return sweepIds;
    }

    /// <summary>
    /// Waits until the runners acknowledged <paramref name="succeeded"/> completions in all; throws when none came for
    /// <see cref="StallLimit"/>, saying what the scheduler holds.
    /// </summary>
    public async Task WaitForSucceededAsync(int succeeded, CancellationToken cancellationToken)
    {
        var last = Succeeded;
        var lastProgress = PlacementRecorder.Now;
        while (last < succeeded)
        {
            // Not much more often: reading the runners' progress snapshots every slot.
            await Task.Delay(20, cancellationToken);
            var now = Succeeded;
            if (now != last)
            {
                last = now;
                lastProgress = PlacementRecorder.Now;
            }
            else if (System.Diagnostics.Stopwatch.GetElapsedTime(lastProgress) > StallLimit)
            {
                var view = await _coordinator.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster).GetAsync();
                throw new TimeoutException($"No trial finished for {StallLimit.TotalSeconds:0} s ({last} of {succeeded} so far); the scheduler holds {view.Queued.Length} queued, " +
                    $"{view.Allocations.Length} allocations ({view.Allocations.Count(a => a.Confirmed)} confirmed) over {view.Silos.Count} silos. " +
                    $"First errors: {string.Join(" | ", Errors.Messages.Concat(Errors.WarningMessages))}");
            }
        }
    }

    /// <summary>How long <see cref="WaitForSucceededAsync"/> waits without a completion before it gives up.</summary>
    public static TimeSpan StallLimit { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Stops the runner silos (their running attempts end with them), then the coordinator.</summary>
    public async ValueTask DisposeAsync()
    {
        Errors.IsRecording = false;
        _user.Dispose();
        foreach (var host in _silos)
        {
            try
            {
                await host.StopAsync(TimeSpan.FromSeconds(30));
            }
            finally
            {
                host.Dispose();
            }
        }

        await _coordinator.StopAsync();
        await _coordinator.DisposeAsync();
        if (Directory.Exists(_workRoot))
        {
            Directory.Delete(_workRoot, recursive: true);
        }
    }

    private static SiloOptions RunnerOptions(string siloId, int slots, string workRoot, BenchErrors errors) => new()
    {
        SiloId = siloId,
        Slots = SlotDescription.CpuSlots(slots),
        WorkDirectory = Path.Combine(workRoot, siloId),
        ThreadsPerCpuSlot = 1,
        Log = line =>
        {
            if (ErrorWords.Any(word => line.Contains(word, StringComparison.Ordinal)))
            {
                errors.Add(line);
            }
        },
    };

    private static ClusterOrleansOptions ClusterOptions(string connectionString, string clusterId, SweepCluster.Cluster.SiloInfo? silo, bool applySchema) => new()
    {
        ConnectionString = connectionString,
        ClusterId = clusterId,
        ApplySchema = applySchema,
        SiloPort = FreeLoopbackPort(),
        GatewayPort = 0,
        AdvertisedAddress = IPAddress.Loopback,
        Silo = silo,
    };

    private static void ConfigureLogging(ILoggingBuilder logging, BenchErrors errors)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddProvider(errors);
    }

    private async Task WaitForSlotsAsync(int slots, CancellationToken cancellationToken)
    {
        var scheduler = _coordinator.Services.GetRequiredService<IGrainFactory>().GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        while ((await scheduler.GetAsync().WaitAsync(timeout.Token)).Silos.Values.Sum() < slots)
        {
            await Task.Delay(100, timeout.Token);
        }

        Placements.SlotsReady();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
