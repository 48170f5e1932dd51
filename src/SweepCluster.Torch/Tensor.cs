using System.Globalization;
using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

/// <summary>
/// A libtorch tensor. Each instance owns one native reference through a <see cref="SafeHandle"/>;
/// <see cref="Dispose"/> (or the enclosing <see cref="DisposeScope"/>) releases it deterministically.
/// Views share storage with the tensor they were taken from, as in PyTorch.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private DisposeScope? _scope;

    internal Tensor(TensorHandle handle)
    {
        Handle = handle;
        _scope = DisposeScope.Current;
        _scope?.Add(this);
    }

    internal TensorHandle Handle { get; }

    /// <summary>True once the native reference has been released.</summary>
    public bool IsDisposed => Handle.IsClosed;

    public int Dim => NativeMethods.st_tensor_ndim(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape)
            {
                NativeMethods.st_tensor_shape(Handle, p);
            }

            return shape;
        }
    }

    /// <summary>The size of one dimension; negative indices count from the end.</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? shape.Length + dim : dim];
    }

    public long NumberOfElements => NativeMethods.st_tensor_numel(Handle);

    public ScalarType Dtype
    {
        get
        {
            var code = NativeMethods.st_tensor_dtype(Handle);
            return code < 0
                ? throw new TorchException("tensor has an element type this binding does not expose")
                : (ScalarType)code;
        }
    }

    public Device Device
    {
        get
        {
            NativeMethods.st_tensor_device(Handle, out var type, out var index);
            return new Device((DeviceType)type, index);
        }
    }

    public bool RequiresGrad
    {
        get => NativeMethods.st_tensor_requires_grad(Handle) != 0;
        set => Status.ThrowIfFailed(NativeMethods.st_tensor_set_requires_grad(Handle, value ? 1 : 0));
    }

    public bool IsLeaf => NativeMethods.st_tensor_is_leaf(Handle) != 0;

    /// <summary>The accumulated gradient, or null when none has been computed. The caller owns the returned tensor.</summary>
    public Tensor? Grad
    {
        get
        {
            Status.ThrowIfFailed(NativeMethods.st_tensor_grad(Handle, out var grad));
            if (grad.IsInvalid)
            {
                grad.Dispose();
                return null;
            }

            return new Tensor(grad);
        }
        set => Status.ThrowIfFailed(NativeMethods.st_tensor_set_grad(Handle, value?.Handle ?? TensorHandle.Null));
    }

    /// <summary>Runs back-propagation from this (scalar) tensor.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        Status.ThrowIfFailed(NativeMethods.st_backward(Handle, gradient?.Handle ?? TensorHandle.Null, retainGraph ? 1 : 0));

    /// <summary>Drops (or zeroes) the accumulated gradient.</summary>
    public void ZeroGrad(bool setToNone = true) =>
        Status.ThrowIfFailed(NativeMethods.st_tensor_zero_grad(Handle, setToNone ? 1 : 0));

    /// <summary>Sets <see cref="RequiresGrad"/> and returns this tensor, for chaining.</summary>
    public Tensor RequiresGradient(bool requiresGrad = true)
    {
        RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Hands this tensor to the scope enclosing its current one (or to no scope).</summary>
    public Tensor MoveToOuterScope()
    {
        if (_scope is not null)
        {
            _scope.Remove(this);
            _scope = _scope.Outer;
            _scope?.Add(this);
        }

        return this;
    }

    /// <summary>Takes this tensor out of every dispose scope: its owner disposes it.</summary>
    public Tensor DetachFromScope()
    {
        _scope?.Remove(this);
        _scope = null;
        return this;
    }

    public void Dispose()
    {
        _scope?.Remove(this);
        _scope = null;
        Handle.Dispose();
    }

    internal void DisposeFromScope()
    {
        _scope = null;
        Handle.Dispose();
    }

    public override string ToString() =>
        IsDisposed
            ? "Tensor(disposed)"
            : string.Create(CultureInfo.InvariantCulture, $"Tensor[{string.Join(", ", Shape)}] {Dtype} {Device}");

    internal static Tensor Wrap(IntPtr status, TensorHandle result)
    {
        Status.ThrowIfFailed(status);
        return new Tensor(result);
    }
}
