using SweepCluster.Cluster.Store;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>
/// The host's store with its ownership: a store the caller passed in is left open when the host
/// is disposed; a store the host opened from a path is closed with it.
/// </summary>
internal sealed class StoreLease(ITrialStore store, bool owned) : IAsyncDisposable, IDisposable
{
    public ITrialStore Store { get; } = store;

    public async ValueTask DisposeAsync()
    {
        if (owned)
        {
            await Store.DisposeAsync();
        }
    }

    // The service provider may be disposed synchronously (for example by a test host).
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
