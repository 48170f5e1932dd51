using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>Owns one native tensor reference; releasing it frees the reference, not necessarily the storage.</summary>
internal sealed class TensorHandle : SafeHandle
{
    /// <summary>A shared handle for "no tensor" arguments (an absent bias, the default generator).</summary>
    internal static readonly TensorHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public TensorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private TensorHandle(IntPtr handle, bool ownsHandle)
        : base(handle, ownsHandle)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.st_tensor_free(handle);
        return true;
    }
}
