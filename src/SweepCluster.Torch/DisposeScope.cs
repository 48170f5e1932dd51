namespace SweepCluster.Torch;

/// <summary>
/// Collects every tensor created on this thread while it is the innermost open scope and
/// disposes them when the scope ends, so a training step's temporaries are released at once
/// instead of waiting for the garbage collector. Tensors that must outlive the step are taken
/// out with <see cref="Tensor.MoveToOuterScope"/> or <see cref="Tensor.DetachFromScope"/>.
/// Scopes nest; they are not shared between threads.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic]
    private static DisposeScope? _current;

    private readonly DisposeScope? _outer;
    private readonly HashSet<Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        _outer = _current;
        _current = this;
    }

    internal static DisposeScope? Current => _current;

    /// <summary>The number of tensors this scope will dispose.</summary>
    public int Count => _tensors.Count;

    internal DisposeScope? Outer => _outer;

    internal void Add(Tensor tensor) => _tensors.Add(tensor);

    internal bool Remove(Tensor tensor) => _tensors.Remove(tensor);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (ReferenceEquals(_current, this))
        {
            _current = _outer;
        }

        foreach (var tensor in _tensors)
        {
            tensor.DisposeFromScope();
        }

        _tensors.Clear();
    }
}
