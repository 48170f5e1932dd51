using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator;
using SweepCluster.Silo;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;
using SweepCluster.Telemetry;
using SweepCluster.Testing;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// A two-silo Orleans cluster on loopback, built as the product builds its hosts: the coordinator
/// (<see cref="CoordinatorHost"/>: HTTP API, <c>/metrics</c> behind the user token) and a trainer silo with one CPU slot
/// (<see cref="TrainerSiloHost"/>: <c>/metrics</c> behind the same token, <c>/healthz</c> open), over one SQLite store.
/// The tests of <see cref="LiveClusterCollection"/> share one and run one at a time (they set the process-wide
/// SweepCluster meter's sources); both hosts are stopped at the end.
/// </summary>
public sealed class LiveCluster : IAsyncLifetime
{
    public const string Token = "live-cluster-user-token-0123456789";

    private readonly TempDirectory _directory = new("sweepcluster-live-");
    private SqlTrialStore? _store;
    private WebApplication? _coordinator;
    private IHost? _silo;

    /// <summary>The coordinator's base address (its <c>/metrics</c> is at <c>/metrics</c>).</summary>
    public Uri Coordinator { get; private set; } = null!;

    /// <summary>The trainer silo's metrics address.</summary>
    public Uri Silo { get; private set; } = null!;

    public IServiceProvider CoordinatorServices => _coordinator!.Services;

    public async Task InitializeAsync()
    {
        _store = await SqlTrialStore.OpenSqliteAsync(_directory.File("store.db"), TimeProvider.System, CancellationToken.None);
        var primaryPort = SweepClusterSiloBuilderExtensions.FreeLoopbackPort();
        _coordinator = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            Store = _store,
            Urls = "http://127.0.0.1:0",
            UserToken = Token,
            ConfigureSilo = silo => CoordinatorHost.UseInMemorySilo(silo, primaryPort),
            ConfigureLogging = Quiet,
        });
        await _coordinator.StartAsync();
        Coordinator = CoordinatorHost.GetListenAddress(_coordinator);

        var runner = new SweepCluster.Silo.SiloOptions
        {
            SiloId = "live-silo",
            Slots = SlotDescription.CpuSlots(1),
            WorkDirectory = _directory.File("attempts"),
            ThreadsPerCpuSlot = 1,
            Log = _ => { },
        };
        _silo = TrainerSiloHost.Build(new TrainerSiloHostOptions
        {
            MetricsUrl = "http://127.0.0.1:0",
            MetricsToken = Token,
            ConfigureLogging = Quiet,
            ConfigureSilo = silo =>
            {
                silo.Services.AddSweepClusterGrains(_ => _store);
                silo.UseLocalhostClustering(SweepClusterSiloBuilderExtensions.FreeLoopbackPort(), SweepClusterSiloBuilderExtensions.FreeLoopbackPort(),
                        new IPEndPoint(IPAddress.Loopback, primaryPort))
                    .UseSiloMetadata(SiloSlotsMetadata.ToMetadata(SweepClusterRunner.Describe(runner)))
                    .AddSweepClusterMemoryStorage()
                    // No trial is submitted here: a placement would start this program, which exits at once.
                    .AddSweepClusterRunner(runner, new CommandTrialProcessLauncher(["/bin/false"]));
            },
        });
        await _silo.StartAsync();
        Silo = TrainerSiloHost.GetMetricsAddress(_silo)!;
        await SubmitPendingSweepAsync();
    }

    /// <summary>
    /// Submits a sweep of two trials that only a silo labelled <c>pool=none</c> could run (there is none): they stay
    /// pending, and the coordinator's trial gauge reports them once its store reading refreshes (every 5 s).
    /// </summary>
    private async Task SubmitPendingSweepAsync()
    {
        using var client = Client(Coordinator);
        var body = new
        {
            sweep = new
            {
                id = "live-sweep",
                name = "live sweep",
                description = "trials no silo can take",
                question = "are its trials counted?",
                objectiveMetric = "psnr_cross",
                objectiveGoal = "maximize",
                sweepText = "name: live",
            },
            trials = Enumerable.Range(0, 2).Select(i => new
            {
                id = $"live-sweep-t{i}",
                configName = $"config-{i}",
                configKey = $"key-{i}",
                seed = 1000 + i,
                parameters = new { index = i },
                expect = "runs",
                config = new { name = $"config-{i}", seed = 1000 + i, training = new { epochs = 1 } },
                resources = new { gpus = 0, labels = new Dictionary<string, string> { ["pool"] = "none" } },
                maxAttempts = 1,
                priority = 0,
                order = i,
            }).ToArray(),
        };
        using var response = await client.PostAsJsonAsync(new Uri("/api/sweeps", UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode, $"submitting the live sweep: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // Bounded: the refresh runs every 5 s.
        for (var attempt = 0; attempt < 60 && !(await ScrapeAsync(Coordinator)).Contains("sweepcluster_sweepcluster_trials{", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    public async Task DisposeAsync()
    {
        if (_silo is not null)
        {
            await _silo.StopAsync();
            _silo.Dispose();
        }

        if (_coordinator is not null)
        {
            await _coordinator.StopAsync();
            await _coordinator.DisposeAsync();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _directory.Dispose();
    }

    /// <summary>A client for <paramref name="address"/>, carrying the token unless <paramref name="withToken"/> is false.</summary>
    public static HttpClient Client(Uri address, bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        return client;
    }

    /// <summary>The exposition text of <paramref name="address"/>'s <c>/metrics</c>, read with the token.</summary>
    public static async Task<string> ScrapeAsync(Uri address)
    {
        using var client = Client(address);
        return await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
    }

    private static void Quiet(ILoggingBuilder logging) => logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error).AddFilter("Microsoft", LogLevel.Error);
}
