namespace SweepCluster.Coordinator.Hosting;

/// <summary>Waiting on the host's lifetime events from a background service.</summary>
internal static class HostEvents
{
    /// <summary>True once the host has started (every hosted service, the silo among them, is up); false when <paramref name="cancellationToken"/> fires first.</summary>
    public static async Task<bool> WaitForStartedAsync(IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        if (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return true;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onCancelled = cancellationToken.Register(() => started.TrySetCanceled(cancellationToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
