using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Silo;
using SweepCluster.Silo.Wire;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// One real coordinator (Kestrel on loopback, port 0) over a given store, and a fleet of real
/// <see cref="SiloRuntime"/>s with the no-op trainer talking to it over HTTP. Trials are submitted
/// through the user API, as <c>sweepcluster submit</c> does.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    private const string SiloToken = "orchestration-bench-silo-token-0123456789";
    private const string UserToken = "orchestration-bench-user-token-0123456789";

    // Stays under the coordinator's 4 MiB request body limit with room to spare.
    private const int SubmitChunk = 2000;

    private static readonly string[] ErrorWords = ["failed", "refused", "could not", "no longer", "ignored"];

    private readonly WebApplication _app;
    private readonly ITrialStore _store;
    private readonly string _workRoot;
    private readonly CancellationTokenSource _stopSilos = new();
    private readonly List<Task> _silos = [];
    private SiloTrafficRecorder? _recorder;
    private HttpClient? _user;

    private BenchCluster(WebApplication app, ITrialStore store, string workRoot)
    {
        _app = app;
        _store = store;
        _workRoot = workRoot;
    }

    public SiloTrafficRecorder Recorder => _recorder ?? throw new InvalidOperationException("No silos were started.");

    public ITrialStore Store => _store;

    /// <summary>Starts a coordinator over <paramref name="store"/> (owned by the caller) and waits until it listens.</summary>
    public static async Task<BenchCluster> StartAsync(ITrialStore store, CancellationToken cancellationToken)
    {
        var app = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            Store = store,
            Urls = "http://127.0.0.1:0",
            SiloToken = SiloToken,
            UserToken = UserToken,
            ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Warning),
        });
        await app.StartAsync(cancellationToken);
        var workRoot = Path.Combine(Path.GetTempPath(), "sweepcluster-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(workRoot);
        var cluster = new BenchCluster(app, store, workRoot);
        cluster._user = new HttpClient { BaseAddress = CoordinatorHost.GetListenAddress(app), Timeout = TimeSpan.FromMinutes(5) };
        cluster._user.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
        return cluster;
    }

    /// <summary>
    /// Submits <paramref name="trials"/> no-op trials in chunks that fit the body limit, each chunk a sweep of its own
    /// (<c>prefix.0</c>, <c>prefix.1</c>, ...: a later submission of one sweep id would be its next revision, which
    /// lists only that chunk). Returns the sweep ids.
    /// </summary>
    public async Task<IReadOnlyList<string>> SubmitAsync(string prefix, int trials, CancellationToken cancellationToken)
    {
        var user = _user ?? throw new InvalidOperationException("The cluster is not started.");
        var sweepIds = new List<string>();
        for (var first = 0; first < trials; first += SubmitChunk)
        {
            var count = Math.Min(SubmitChunk, trials - first);
            var sweepId = $"{prefix}.{first / SubmitChunk}";
            sweepIds.Add(sweepId);
            var body = new
            {
                sweep = new { id = sweepId, name = sweepId, question = "orchestration overhead", objectiveMetric = "objective", objectiveGoal = "maximize", sweepText = "no-op" },
                trials = Enumerable.Range(first, count).Select(i => new
                {
                    id = $"{prefix}-{i:D6}",
                    configName = "noop",
                    configKey = "noop",
                    seed = i,
                    parameters = new { i },
                    config = new { name = "noop", seed = i },
                    maxAttempts = 1,
                    order = i,
                }).ToArray(),
            };
            using var response = await user.PostAsJsonAsync("api/sweeps", body, CoordinatorJson.Options, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Submitting trials {first}..{first + count - 1} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        return sweepIds;
    }

    /// <summary>Starts <paramref name="silos"/> silos of <paramref name="slotsPerSilo"/> CPU slots each and waits until all registered.</summary>
    public async Task StartSilosAsync(int silos, int slotsPerSilo, CancellationToken cancellationToken)
    {
        var recorder = new SiloTrafficRecorder(_stopSilos.Token);
        _recorder = recorder;
        var baseAddress = CoordinatorHost.GetListenAddress(_app);
        var launcher = new NoOpTrialLauncher();
        var slots = SlotDescription.CpuSlots(slotsPerSilo);
        for (var i = 0; i < silos; i++)
        {
            var id = $"bench-silo-{i:D3}";
            // One connection pool for all silos: the recorder owns the handler.
            var client = new CoordinatorClient(new HttpClient(recorder, disposeHandler: false) { BaseAddress = baseAddress }, SiloToken);
            var options = new SiloOptions
            {
                SiloId = id,
                Slots = slots,
                WorkDirectory = Path.Combine(_workRoot, id),
                ThreadsPerCpuSlot = 1,
                Log = line => CountErrorLine(recorder, line),
            };
            var runtime = new SiloRuntime(options, client, launcher);
            _silos.Add(Task.Run(() => runtime.RunAsync(_stopSilos.Token), CancellationToken.None));
        }

        while ((await _store.ListSilosAsync(cancellationToken)).Count < silos)
        {
            if (_silos.FirstOrDefault(t => t.IsFaulted) is { } faulted)
            {
                await faulted;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Stops every silo (their in-flight attempts are reported failed, as a silo shutdown does) and waits for them.</summary>
    public async Task StopSilosAsync()
    {
        await _stopSilos.CancelAsync();
        await Task.WhenAll(_silos);
        _silos.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopSilos.IsCancellationRequested)
        {
            await StopSilosAsync();
        }

        _user?.Dispose();
        _recorder?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopSilos.Dispose();
        if (Directory.Exists(_workRoot))
        {
            Directory.Delete(_workRoot, recursive: true);
        }
    }

    private void CountErrorLine(SiloTrafficRecorder recorder, string line)
    {
        if (!_stopSilos.IsCancellationRequested && ErrorWords.Any(word => line.Contains(word, StringComparison.Ordinal)))
        {
            recorder.AddError(line);
        }
    }
}
