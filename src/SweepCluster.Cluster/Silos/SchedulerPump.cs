using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Silos;

/// <summary>
/// Pulses the scheduler (<see cref="ISchedulerGrain.PulseAsync"/>) about once a second from every silo: it notices silos membership declared dead and
/// sends placements again, and it brings the scheduler grain back on a live silo after its own silo died. It starts once
/// the host has started: before the silo is active, no silo can host the scheduler and placement only retries.
/// </summary>
public sealed partial class SchedulerPump(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<SchedulerPump> logger, TimeProvider? time = null) : BackgroundService
{
    public static TimeSpan Interval { get; } = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }

        using var timer = new PeriodicTimer(Interval, time ?? TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await grains.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster).PulseAsync().WaitAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The scheduler's silo may be gone this second; the next tick activates it elsewhere.
                    LogTickFailed(exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host stops.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The scheduler tick failed; it is tried again in a second")]
    private partial void LogTickFailed(Exception exception);
}
