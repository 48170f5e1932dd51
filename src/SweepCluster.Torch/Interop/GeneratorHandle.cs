using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>Owns one native generator object.</summary>
internal sealed class GeneratorHandle : SafeHandle
{
    /// <summary>A shared handle meaning "none" where the native argument is optional.</summary>
    internal static readonly GeneratorHandle Null = new(IntPtr.Zero, ownsHandle: false);

    public GeneratorHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private GeneratorHandle(IntPtr handle, bool ownsHandle)
        : base(handle, ownsHandle)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.st_generator_free(handle);
        return true;
    }
}
