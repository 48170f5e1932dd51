using SweepCluster.Cluster;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Telemetry;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>
/// Keeps the gauges that describe the whole store (trials by state per sweep, slots busy/free and
/// heartbeat age per silo) fresh: the exporter's callbacks are synchronous and must not query the
/// store, so this service reads it every few seconds and the callbacks return the last reading.
/// </summary>
internal sealed partial class TelemetryRefreshService(CoordinatorCore core, TimeProvider time, ILogger<TelemetryRefreshService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private volatile IReadOnlyList<TrialStateCount> _trials = [];
    private volatile IReadOnlyList<SiloSlotUsage> _silos = [];

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        SweepClusterTelemetry.SetTrialCountsSource(() => _trials);
        SweepClusterTelemetry.SetSiloSlotsSource(() => _silos);
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        SweepClusterTelemetry.SetTrialCountsSource(null);
        SweepClusterTelemetry.SetSiloSlotsSource(null);
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogRefreshFailed(exception);
            }

            await Task.Delay(Interval, time, stoppingToken);
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sweeps = await core.ListSweepsAsync(cancellationToken);
        _trials = [.. sweeps.SelectMany(s => s.TrialCounts.Select(c => new TrialStateCount(s.Sweep.Id, c.Key.ToString().ToLowerInvariant(), c.Value)))];

        var busy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sweep in sweeps.Where(s => s.TrialCounts.TryGetValue(TrialState.Leased, out var l) && l > 0 || s.TrialCounts.TryGetValue(TrialState.Running, out var r) && r > 0))
        {
            foreach (var trial in await core.ListTrialsAsync(sweep.Sweep.Id, cancellationToken))
            {
                if (trial.Snapshot.State is TrialState.Leased or TrialState.Running && trial.Snapshot.Attempt is { } attempt)
                {
                    busy[attempt.SiloId] = busy.GetValueOrDefault(attempt.SiloId) + attempt.SlotIds.Count;
                }
            }
        }

        var now = time.GetUtcNow();
        _silos = [.. (await core.ListSilosAsync(cancellationToken)).Select(s =>
        {
            var used = Math.Min(busy.GetValueOrDefault(s.Silo.Id), s.Silo.Slots.Count);
            return new SiloSlotUsage(s.Silo.Id, used, s.Silo.Slots.Count - used, now - s.LastHeartbeatAt);
        })];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the store gauges failed")]
    private partial void LogRefreshFailed(Exception exception);
}
