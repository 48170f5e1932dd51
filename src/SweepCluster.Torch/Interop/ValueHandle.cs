using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>Owns one native value object.</summary>
internal sealed class ValueHandle : SafeHandle
{
    /// <summary>A shared handle meaning "none" where the native argument is optional.</summary>
    internal static readonly ValueHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public ValueHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private ValueHandle(IntPtr handle, bool ownsHandle)
        : base(handle, ownsHandle)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.st_ivalue_free(handle);
        return true;
    }
}
