using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SweepCluster.Cluster;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Security;
using SweepCluster.Silo;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Cli;

/// <summary>
/// The embedded default: a coordinator on loopback over a SQLite store and one local silo, in this
/// process, talking over the same HTTP API a cluster uses. Trials still run as child processes.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>The local silo's id is fixed, so a restarted run recognises its own stale leases.</summary>
    public const string SiloId = "local";

    private readonly WebApplication _coordinator;
    private readonly HttpClient _siloHttp;
    private readonly CancellationTokenSource _siloStop = new();
    private Task? _siloTask;

    private LocalCluster(WebApplication coordinator, Uri address, string userToken, string siloToken, SiloRuntime silo, HttpClient siloHttp)
    {
        _coordinator = coordinator;
        Address = address;
        UserToken = userToken;
        SiloToken = siloToken;
        Silo = silo;
        _siloHttp = siloHttp;
    }

    public Uri Address { get; }

    public string UserToken { get; }

    public string SiloToken { get; }

    public SiloRuntime Silo { get; }

    /// <param name="sweepId">The sweep this run is for: the silo takes no other sweep's trials from the same state directory.</param>
    public static async Task<LocalCluster> StartAsync(string stateDirectory, string sweepId, IReadOnlyList<SlotDescription> slots, int? threadsPerSlot, Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDirectory);
        var userToken = CoordinatorTokens.NewToken();
        var siloToken = CoordinatorTokens.NewToken();
        var coordinator = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            SqlitePath = Path.Combine(stateDirectory, "sweepcluster.db"),
            Urls = "http://127.0.0.1:0",
            UserToken = userToken,
            SiloToken = siloToken,
            // Short leases: after a crash of this process, a rerun takes its interrupted trials back quickly.
            Core = new CoordinatorOptions { LeaseTtl = TimeSpan.FromSeconds(15) },
            ExpiryInterval = TimeSpan.FromSeconds(1),
            ClaimRecheckInterval = TimeSpan.FromSeconds(1),
            ConfigureLogging = logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                // The framework's warnings (hosting, Kestrel, data protection) are about a host the user
                // neither configured nor can change here; its errors, and all of ours, still show.
                logging.AddFilter("Microsoft", LogLevel.Error);
                // Standard output is the run's progress and matrix, which pipes and files keep.
                logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            },
        });
        await coordinator.StartAsync(cancellationToken);
        var address = CoordinatorHost.GetListenAddress(coordinator);

        var siloHttp = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        var client = new CoordinatorClient(siloHttp, siloToken);
        var silo = new SiloRuntime(
            new SiloOptions
            {
                SiloId = SiloId,
                Name = Environment.MachineName,
                Slots = slots,
                WorkDirectory = Path.Combine(stateDirectory, "attempts"),
                OnlySweepId = sweepId,
                ClaimWait = TimeSpan.FromSeconds(2),
                HeartbeatInterval = TimeSpan.FromSeconds(3),
                ThreadsPerCpuSlot = threadsPerSlot,
                Log = log,
            },
            client,
            new CommandTrialProcessLauncher(SelfCommand()));
        return new LocalCluster(coordinator, address, userToken, siloToken, silo, siloHttp);
    }

    /// <summary>How to start this program again as a child: the apphost, or dotnet and this assembly.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(LocalCluster).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, assembly] : [process];
    }

    public void StartSilo() => _siloTask = Task.Run(() => Silo.RunAsync(_siloStop.Token));

    /// <summary>Stops the silo (its children are killed and their attempts reported), then the coordinator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _siloStop.CancelAsync();
        if (_siloTask is not null)
        {
            try
            {
                await _siloTask;
            }
            catch (OperationCanceledException)
            {
                // A stop is what was asked for.
            }
        }

        await _coordinator.StopAsync();
        await _coordinator.DisposeAsync();
        _siloHttp.Dispose();
        _siloStop.Dispose();
    }
}
