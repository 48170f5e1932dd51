namespace SweepCluster.Coordinator.Hosting;

/// <summary>
/// Wakes waiting claims when work may have appeared (a submission, a failed or lost attempt).
/// Thread safe. A waiter takes <see cref="Next"/> before it looks for work, so a signal raised
/// between its look and its wait is not missed.
/// </summary>
internal sealed class WorkSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify()
    {
        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _next, fresh).TrySetResult();
    }
}
