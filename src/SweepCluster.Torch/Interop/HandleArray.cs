namespace SweepCluster.Torch.Interop;

/// <summary>Raw pointers of several tensors, each kept alive (ref-counted) until disposed.</summary>
internal sealed class HandleArray : IDisposable
{
    private readonly IReadOnlyList<Tensor> _tensors;
    private readonly bool[] _added;

    internal HandleArray(IReadOnlyList<Tensor> tensors)
    {
        _tensors = tensors;
        _added = new bool[tensors.Count];
        Pointers = new IntPtr[tensors.Count];
        try
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                tensors[i].Handle.DangerousAddRef(ref _added[i]);
                Pointers[i] = tensors[i].Handle.DangerousGetHandle();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    internal IntPtr[] Pointers { get; }

    public void Dispose()
    {
        for (var i = 0; i < _added.Length; i++)
        {
            if (_added[i])
            {
                _tensors[i].Handle.DangerousRelease();
                _added[i] = false;
            }
        }
    }
}
