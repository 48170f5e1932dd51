using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>Owns one native optimizer object.</summary>
internal sealed class OptimizerHandle : SafeHandle
{
    /// <summary>A shared handle meaning "none" where the native argument is optional.</summary>
    internal static readonly OptimizerHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public OptimizerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private OptimizerHandle(IntPtr handle, bool ownsHandle)
        : base(handle, ownsHandle)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.st_optimizer_free(handle);
        return true;
    }
}
