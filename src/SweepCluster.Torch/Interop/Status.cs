using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>Turns a native status into a <see cref="TorchException"/>.</summary>
internal static class Status
{
    /// <summary>Throws when <paramref name="status"/> is not success; always frees it.</summary>
    internal static void ThrowIfFailed(IntPtr status)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        string message;
        try
        {
            message = Marshal.PtrToStringUTF8(NativeMethods.st_status_message(status)) ?? "unknown libtorch error";
        }
        finally
        {
            NativeMethods.st_status_free(status);
        }

        throw new TorchException(message);
    }
}
