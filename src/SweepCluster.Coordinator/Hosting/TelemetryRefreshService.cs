using SweepCluster.Cluster;
using SweepCluster.Telemetry;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>
/// Keeps the gauges that describe the whole store (trials by state per sweep, slots busy/free per
/// silo) fresh: the exporter's callbacks are synchronous and must not query the
/// store, so this service reads it every few seconds and the callbacks return the last reading.
/// </summary>
internal sealed partial class TelemetryRefreshService(
    CoordinatorCore core, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<TelemetryRefreshService> logger) : BackgroundService
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
        // The readings go through the silo's grains: none before the silo is active (a call then fails to be placed and
        // Orleans logs it as an error), and none once the host is stopping (the silo is going away under them).
        if (!await HostEvents.WaitForStartedAsync(lifetime, stoppingToken))
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        stoppingToken = linked.Token;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                LogRefreshFailed(exception);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var sweeps = await core.ListSweepsAsync(cancellationToken);
        _trials = [.. sweeps.SelectMany(s => s.TrialCounts.Select(c => new TrialStateCount(s.Sweep.Id, c.Key.ToString().ToLowerInvariant(), c.Value)))];

        // Busy slots as the scheduler holds them: reading every trial row of every running sweep for this (a sweep of
        // 20,000 trials every 5 s) cost more than the placements themselves under load.
        var busy = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var allocation in await core.ListAllocationsAsync(cancellationToken))
        {
            busy[allocation.SiloId] = busy.GetValueOrDefault(allocation.SiloId) + allocation.SlotIds.Length;
        }

        // Membership lists only live silos: a silo that stops answering leaves the list once it is declared dead.
        _silos = [.. core.ListSilos().Select(s =>
        {
            var used = Math.Min(busy.GetValueOrDefault(s.Id), s.Slots.Count);
            return new SiloSlotUsage(s.Id, used, s.Slots.Count - used);
        })];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the store gauges failed")]
    private partial void LogRefreshFailed(Exception exception);
}
