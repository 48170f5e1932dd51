using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

public sealed partial class Tensor
{
    /// <summary>A tensor with the same data and a new shape (a view when possible, else a copy); one size may be -1.</summary>
    public unsafe Tensor Reshape(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(NativeMethods.st_tensor_reshape(Handle, s, shape.Length, 0, out var r), r);
        }
    }

    /// <summary>A view with a new shape; fails when the memory layout does not allow one.</summary>
    public unsafe Tensor View(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(NativeMethods.st_tensor_reshape(Handle, s, shape.Length, 1, out var r), r);
        }
    }

    public unsafe Tensor Permute(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims)
        {
            return Wrap(NativeMethods.st_tensor_permute(Handle, d, dims.Length, out var r), r);
        }
    }

    public Tensor Transpose(long dim0, long dim1) => Wrap(NativeMethods.st_tensor_transpose(Handle, dim0, dim1, out var r), r);

    /// <summary>The view <c>[start, end)</c> with <paramref name="step"/> along <paramref name="dim"/>.</summary>
    public Tensor Slice(long dim, long start, long end, long step = 1) =>
        Wrap(NativeMethods.st_tensor_slice(Handle, dim, start, end, step, out var r), r);

    /// <summary>The view of <paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/>.</summary>
    public Tensor Narrow(long dim, long start, long length) => Slice(dim, start, start + length);

    /// <summary>The view at <paramref name="index"/> along <paramref name="dim"/>, which is removed.</summary>
    public Tensor Select(long dim, long index) => Wrap(NativeMethods.st_tensor_select(Handle, dim, index, out var r), r);

    public Tensor Squeeze(long dim) => Wrap(NativeMethods.st_tensor_squeeze(Handle, dim, out var r), r);

    public Tensor Unsqueeze(long dim) => Wrap(NativeMethods.st_tensor_unsqueeze(Handle, dim, out var r), r);

    public unsafe Tensor Expand(params ReadOnlySpan<long> shape)
    {
        fixed (long* s = shape)
        {
            return Wrap(NativeMethods.st_tensor_expand(Handle, s, shape.Length, out var r), r);
        }
    }

    public unsafe Tensor Flip(params ReadOnlySpan<long> dims)
    {
        fixed (long* d = dims)
        {
            return Wrap(NativeMethods.st_tensor_flip(Handle, d, dims.Length, out var r), r);
        }
    }

    public static Tensor Cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 0);

    public static Tensor Stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, 1);

    private static unsafe Tensor Join(IReadOnlyList<Tensor> tensors, long dim, int kind)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var pinned = new HandleArray(tensors);
        fixed (IntPtr* h = pinned.Pointers)
        {
            return Wrap(NativeMethods.st_tensor_join(h, pinned.Pointers.Length, dim, kind, out var r), r);
        }
    }

    /// <summary>Pads the last dimensions: <paramref name="pad"/> is (left, right, top, bottom, ...) as in PyTorch's F.pad.</summary>
    public unsafe Tensor Pad(ReadOnlySpan<long> pad, PadMode mode = PadMode.Constant, double value = 0.0)
    {
        fixed (long* p = pad)
        {
            return Wrap(NativeMethods.st_tensor_pad(Handle, p, pad.Length, (int)mode, value, out var r), r);
        }
    }

    public Tensor Clone() => Unary(UnaryOp.Clone);

    /// <summary>The same data, cut from the autograd graph.</summary>
    public Tensor Detach() => Unary(UnaryOp.Detach);

    public Tensor Contiguous() => Unary(UnaryOp.Contiguous);

    public Tensor To(Device device) => Wrap(NativeMethods.st_tensor_to(Handle, (int)device.Type, device.Index, -1, out var r), r);

    public Tensor To(ScalarType dtype)
    {
        var device = Device;
        return Wrap(NativeMethods.st_tensor_to(Handle, (int)device.Type, device.Index, (int)dtype, out var r), r);
    }
}
