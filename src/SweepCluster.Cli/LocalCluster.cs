using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Coordinator;
using SweepCluster.Coordinator.Security;
using SweepCluster.Silo;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Cli;

/// <summary>
/// The embedded default: this process is a one-silo Orleans cluster (localhost clustering, grain state in SQLite under
/// the state directory) hosting the coordinator's HTTP API on loopback and the runner, with the store in the same
/// directory. Trials still run as child processes. A rerun finds every attempt of the previous process on a silo that
/// is not a member of this cluster: the scheduler hands them back to their trials, which resume from their checkpoints.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private readonly WebApplication _coordinator;

    private LocalCluster(WebApplication coordinator, Uri address, string userToken, SlotRunner runner)
    {
        _coordinator = coordinator;
        Address = address;
        UserToken = userToken;
        Runner = runner;
    }

    public Uri Address { get; }

    public string UserToken { get; }

    public SlotRunner Runner { get; }

    /// <param name="sweepId">The sweep this run is for: the scheduler takes no other sweep's trials from the same state directory.</param>
    public static async Task<LocalCluster> StartAsync(string stateDirectory, string sweepId, IReadOnlyList<SlotDescription> slots, int? threadsPerSlot, Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDirectory);
        var userToken = CoordinatorTokens.NewToken();
        var runnerOptions = new SiloOptions
        {
            SiloId = "local",
            Slots = slots,
            WorkDirectory = Path.Combine(stateDirectory, "attempts"),
            ThreadsPerCpuSlot = threadsPerSlot,
            Log = log,
        };
        var coordinator = CoordinatorHost.Build(new CoordinatorHostOptions
        {
            SqlitePath = Path.Combine(stateDirectory, "sweepcluster.db"),
            Urls = "http://127.0.0.1:0",
            UserToken = userToken,
            TelemetryServiceName = "sweepcluster-run",
            ConfigureSilo = silo => silo
                .UseSweepClusterEmbedded(new EmbeddedOrleansOptions { StateDirectory = stateDirectory, Silo = SweepClusterRunner.Describe(runnerOptions) })
                .AddSweepClusterRunner(runnerOptions, new CommandTrialProcessLauncher(SelfCommand())),
            ConfigureScheduler = scheduler => scheduler.OnlySweepIds = new HashSet<string>(StringComparer.Ordinal) { sweepId },
            ConfigureLogging = logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                // The framework's warnings (hosting, Kestrel, Orleans start-up) are about a host the user neither
                // configured nor can change here; its errors, and all of ours, still show.
                logging.AddFilter("Microsoft", LogLevel.Error);
                logging.AddFilter("Orleans", LogLevel.Error);
                // Orleans retries placement and connections through Polly, which logs each retry as a warning.
                logging.AddFilter("Polly", LogLevel.Error);
                // Standard output is the run's progress and matrix, which pipes and files keep.
                logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            },
        });
        await coordinator.StartAsync(cancellationToken);
        var address = CoordinatorHost.GetListenAddress(coordinator);
        return new LocalCluster(coordinator, address, userToken, coordinator.Services.GetRequiredService<SlotRunner>());
    }

    /// <summary>How to start this program again as a child: the apphost, or dotnet and this assembly.</summary>
    public static IReadOnlyList<string> SelfCommand()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(LocalCluster).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, assembly] : [process];
    }

    /// <summary>Stops the runner (its children are killed and their attempts reported), then the silo and the API.</summary>
    public async ValueTask DisposeAsync()
    {
        await _coordinator.StopAsync();
        await _coordinator.DisposeAsync();
    }
}
