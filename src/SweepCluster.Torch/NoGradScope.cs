using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

/// <summary>Disables autograd on the current thread while open; restores the previous mode on dispose.</summary>
public sealed class NoGradScope : IDisposable
{
    private readonly bool _previous;
    private bool _disposed;

    internal NoGradScope()
    {
        _previous = NativeMethods.st_grad_enabled() != 0;
        NativeMethods.st_set_grad_enabled(0);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMethods.st_set_grad_enabled(_previous ? 1 : 0);
    }
}
