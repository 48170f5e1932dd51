using System.Runtime.InteropServices;

namespace SweepCluster.Torch.Interop;

/// <summary>
/// The libsweeptorch C ABI (see <c>src/SweepCluster.Torch.Native/include/sweeptorch.h</c>).
/// Functions that can fail return a status pointer: zero on success.
/// </summary>
internal static partial class NativeMethods
{
    internal const string Library = "sweeptorch";

    /// <summary>The ABI version this binding was written against; checked when the library loads.</summary>
    internal const int AbiVersion = 1;

    [LibraryImport(Library)]
    internal static partial int st_abi_version();

    [LibraryImport(Library)]
    internal static partial IntPtr st_libtorch_version();

    [LibraryImport(Library)]
    internal static partial IntPtr st_status_message(IntPtr status);

    [LibraryImport(Library)]
    internal static partial void st_status_free(IntPtr status);

    [LibraryImport(Library)]
    internal static partial IntPtr st_manual_seed(ulong seed);

    [LibraryImport(Library)]
    internal static partial IntPtr st_set_num_threads(int threads);

    [LibraryImport(Library)]
    internal static partial int st_get_num_threads();

    [LibraryImport(Library)]
    internal static partial IntPtr st_set_deterministic(int enabled);

    [LibraryImport(Library)]
    internal static partial int st_grad_enabled();

    [LibraryImport(Library)]
    internal static partial void st_set_grad_enabled(int enabled);

    [LibraryImport(Library)]
    internal static partial int st_cuda_is_available();

    [LibraryImport(Library)]
    internal static partial int st_cuda_device_count();

    [LibraryImport(Library)]
    internal static unsafe partial IntPtr st_cuda_device_info(int index, byte* name, int nameCapacity, out long totalMemory, out long allocatedMemory);

    [LibraryImport(Library)]
    internal static partial IntPtr st_cuda_synchronize(int index);

    [LibraryImport(Library)]
    internal static partial IntPtr st_generator_new(ulong seed, out GeneratorHandle generator);

    [LibraryImport(Library)]
    internal static partial void st_generator_free(IntPtr generator);

    [LibraryImport(Library)]
    internal static partial IntPtr st_generator_get_state(GeneratorHandle generator, out TensorHandle state);

    [LibraryImport(Library)]
    internal static partial IntPtr st_generator_set_state(GeneratorHandle generator, TensorHandle state);
}
