using System.Runtime.InteropServices;
using System.Text;
using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

/// <summary>Process-wide libtorch settings and facts.</summary>
public static class Torch
{
    /// <summary>The libtorch version the shim was built against.</summary>
    public static string LibtorchVersion => Marshal.PtrToStringUTF8(NativeMethods.st_libtorch_version()) ?? "unknown";

    /// <summary>The ABI version of the loaded shim (equal to the binding's, or loading would have failed).</summary>
    public static int AbiVersion => NativeMethods.st_abi_version();

    /// <summary>Seeds the global CPU (and CUDA) generators.</summary>
    public static void ManualSeed(ulong seed) => Status.ThrowIfFailed(NativeMethods.st_manual_seed(seed));

    /// <summary>Intra-op threads of libtorch's CPU kernels.</summary>
    public static int Threads
    {
        get => NativeMethods.st_get_num_threads();
        set => Status.ThrowIfFailed(NativeMethods.st_set_num_threads(value));
    }

    /// <summary>Asks libtorch for deterministic algorithms (warning, not failing, where none exists).</summary>
    public static void UseDeterministicAlgorithms(bool enabled = true) =>
        Status.ThrowIfFailed(NativeMethods.st_set_deterministic(enabled ? 1 : 0));

    /// <summary>Whether operations on this thread record autograd history.</summary>
    public static bool IsGradEnabled => NativeMethods.st_grad_enabled() != 0;

    /// <summary>Disables autograd on this thread until the returned scope is disposed.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>Opens a scope that disposes every tensor created in it on this thread when it ends.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>The state of the global CPU generator (for checkpoints).</summary>
    public static Tensor GetRngState()
    {
        Status.ThrowIfFailed(NativeMethods.st_generator_get_state(GeneratorHandle.Null, out var state));
        return new Tensor(state);
    }

    public static void SetRngState(Tensor state)
    {
        ArgumentNullException.ThrowIfNull(state);
        Status.ThrowIfFailed(NativeMethods.st_generator_set_state(GeneratorHandle.Null, state.Handle));
    }

    public static bool CudaIsAvailable => NativeMethods.st_cuda_is_available() != 0;

    /// <summary>The number of CUDA devices (0 on a CPU build or a machine without GPUs).</summary>
    public static int CudaDeviceCount => NativeMethods.st_cuda_device_count();

    /// <summary>Name, total memory and memory this process has allocated on one CUDA device.</summary>
    public static unsafe CudaDeviceInfo GetCudaDevice(int index)
    {
        var name = new byte[256];
        long total;
        long allocated;
        fixed (byte* n = name)
        {
            Status.ThrowIfFailed(NativeMethods.st_cuda_device_info(index, n, name.Length, out total, out allocated));
        }

        var length = Array.IndexOf(name, (byte)0);
        return new CudaDeviceInfo(index, Encoding.UTF8.GetString(name, 0, length < 0 ? name.Length : length), total, allocated);
    }

    /// <summary>Every CUDA device; empty on a CPU build.</summary>
    public static IReadOnlyList<CudaDeviceInfo> CudaDevices()
    {
        var count = CudaDeviceCount;
        var devices = new List<CudaDeviceInfo>(count);
        for (var i = 0; i < count; i++)
        {
            devices.Add(GetCudaDevice(i));
        }

        return devices;
    }

    /// <summary>Waits for queued CUDA work on a device (a no-op on CPU builds); needed for honest timings.</summary>
    public static void CudaSynchronize(int index = 0) => Status.ThrowIfFailed(NativeMethods.st_cuda_synchronize(index));
}
