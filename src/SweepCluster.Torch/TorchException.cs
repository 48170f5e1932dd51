namespace SweepCluster.Torch;

/// <summary>An error reported by libtorch (or the shim), carrying libtorch's own message.</summary>
public sealed class TorchException : Exception
{
    public TorchException()
    {
    }

    public TorchException(string message)
        : base(message)
    {
    }

    public TorchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
