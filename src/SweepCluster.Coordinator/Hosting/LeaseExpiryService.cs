using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Telemetry;
using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>Expires leases that ran out, every <see cref="CoordinatorHostOptions.ExpiryInterval"/> of the host's clock.</summary>
internal sealed partial class LeaseExpiryService(
    CoordinatorCore core,
    WorkSignal signal,
    TimeProvider time,
    CoordinatorHostOptions options,
    ILogger<LeaseExpiryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ExpiryInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ExpireOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    /// <summary>One expiry pass; errors are logged, not thrown, so one bad pass does not stop the service.</summary>
    internal async Task ExpireOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            var expired = await core.ExpireLeasesAsync(cancellationToken);
            foreach (var trial in expired)
            {
                SweepClusterTelemetry.RecordLeaseExpiry(trial.SweepId);
                if (trial.State == TrialState.Pending)
                {
                    SweepClusterTelemetry.RecordAttemptRetry(trial.SweepId, "lost");
                }
            }

            if (expired.Count > 0)
            {
                LogExpired(expired.Count);
                signal.Notify();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogExpiryFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Expired {Count} lease(s)")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The lease expiry pass failed")]
    private partial void LogExpiryFailed(Exception exception);
}
