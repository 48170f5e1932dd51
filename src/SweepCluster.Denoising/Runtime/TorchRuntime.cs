using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SweepCluster.Denoising.Runtime;

/// <summary>
/// Process-wide facts and settings of the tensor engine (TorchSharp over libtorch): its versions, its threads, and
/// whether the build applied the libstdc++ compatibility fix to the copy of <c>libLibTorchSharp.so</c> it loads.
/// </summary>
public static partial class TorchRuntime
{
    /// <summary>The note the build writes next to a patched <c>libLibTorchSharp.so</c> (tools/torchsharp-compat).</summary>
    public const string CompatMarkerFileName = "sweepcluster-libstdcxx-compat.txt";

    private static int LogLevelSet;
    private static int Configured;

    /// <summary>libtorch's own version (<c>torch.__version__</c>).</summary>
    public static string LibtorchVersion
    {
        get
        {
            EnsureConfigured();
            return torch.__version__;
        }
    }

    /// <summary>The TorchSharp assembly's version.</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Sets libtorch's intra-op threads when <paramref name="threads"/> is positive (0 keeps libtorch's default), after
    /// <see cref="EnsureConfigured"/>.
    /// </summary>
    public static void Configure(int threads)
    {
        EnsureConfigured();
        if (threads > 0)
        {
            torch.set_num_threads(threads);
        }
    }

    /// <summary>
    /// libtorch's deterministic-algorithms flag, warning (not failing) where an operation has no deterministic kernel,
    /// and on CUDA cuDNN's deterministic mode without autotuning. TorchSharp 0.107 marks
    /// <c>torch.use_deterministic_algorithms</c> "not implemented", so this calls libtorch's own <c>at::Context</c>
    /// setters; it returns false (and changes nothing) where the library does not export them.
    /// </summary>
    public static unsafe bool UseDeterministicAlgorithms(bool enabled)
    {
        EnsureConfigured();
        if (!TryContext(out var library, out var context)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context26setDeterministicAlgorithmsEbb", out var setAlgorithms)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context21setDeterministicCuDNNEb", out var setCudnn)
            || !NativeLibrary.TryGetExport(library, "_ZN2at7Context17setBenchmarkCuDNNEb", out var setBenchmark))
        {
            return false;
        }

        var on = (byte)(enabled ? 1 : 0);
        ((delegate* unmanaged<nint, byte, byte, void>)setAlgorithms)(context, on, 1);
        ((delegate* unmanaged<nint, byte, void>)setCudnn)(context, on);
        ((delegate* unmanaged<nint, byte, void>)setBenchmark)(context, 0);
        return true;
    }

    /// <summary>Whether libtorch's deterministic-algorithms flag is on (null where it cannot be read).</summary>
    public static unsafe bool? DeterministicAlgorithmsEnabled()
    {
        if (!TryContext(out var library, out var context) || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context23deterministicAlgorithmsEv", out var get))
        {
            return null;
        }

        return ((delegate* unmanaged<nint, byte>)get)(context) != 0;
    }

    /// <summary>
    /// The process-wide settings every use of the engine here relies on, applied once: libtorch's log level
    /// (<see cref="QuietLogs"/>) and oneDNN off for CPU convolutions. libtorch 2.10's oneDNN convolution backward
    /// returned NaN gradients with two or more intra-op threads, intermittently, on this project's CI machine (AMD
    /// EPYC, AVX-512): 21 of 50 backward passes of one Conv2d(4, 8, 3) on a 4x4x16x16 input, none with one thread
    /// and none with oneDNN off. libtorch's native convolution kernels are what PyTorch uses without oneDNN (and what
    /// Debian's libtorch 1.13 had), so parity and speed are measured on them. CUDA is not affected.
    /// </summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref Configured, 1) == 1)
        {
            return;
        }

        QuietLogs();
        SetContextFlag("_ZN2at7Context20setUserEnabledMkldnnEb", false);
    }

    /// <summary>Whether libtorch may use oneDNN for CPU operations (false once <see cref="EnsureConfigured"/> ran).</summary>
    public static unsafe bool? OneDnnEnabled()
    {
        if (!TryContext(out var library, out var context) || !NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledMkldnnEv", out var get))
        {
            return null;
        }

        return ((delegate* unmanaged<nint, byte>)get)(context) != 0;
    }

    private static unsafe bool TryContext(out nint library, out nint context)
    {
        context = 0;
        _ = torch.get_num_threads(); // loads libtorch through TorchSharp first
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(torch).Assembly, null, out library)
            || !NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var globalContext))
        {
            return false;
        }

        context = ((delegate* unmanaged<nint>)globalContext)();
        return true;
    }

    private static unsafe bool SetContextFlag(string export, bool value)
    {
        if (!TryContext(out var library, out var context) || !NativeLibrary.TryGetExport(library, export, out var set))
        {
            return false;
        }

        ((delegate* unmanaged<nint, byte, void>)set)(context, (byte)(value ? 1 : 0));
        return true;
    }

    /// <summary>The intra-op threads libtorch uses now.</summary>
    public static int Threads
    {
        get
        {
            EnsureConfigured();
            return torch.get_num_threads();
        }
    }

    /// <summary>
    /// The compatibility note of the loaded native library, or null when the build found no fix needed (the system
    /// libstdc++ provides GLIBCXX_3.4.32, as on Debian 13 and Ubuntu 24.04).
    /// </summary>
    public static string? CompatibilityNote()
    {
        foreach (var directory in NativeDirectories())
        {
            var marker = Path.Combine(directory, CompatMarkerFileName);
            if (File.Exists(marker))
            {
                return File.ReadAllText(marker).Trim();
            }
        }

        return null;
    }

    /// <summary>Where the build puts TorchSharp's native libraries (the build output and the published layout).</summary>
    public static IEnumerable<string> NativeDirectories()
    {
        var baseDirectory = AppContext.BaseDirectory;
        yield return Path.Combine(baseDirectory, "runtimes", "linux-x64", "native");
        yield return baseDirectory;
    }

    /// <summary>
    /// libtorch 2.10 writes "Could not initialize NNPACK! Reason: Unsupported hardware." on CPUs without NNPACK
    /// support, at every convolution (convolutions fall back to other kernels, so it only clutters the output).
    /// libtorch's minimum log level lives in c10's <c>FLAGS_caffe2_log_level</c>; it is raised to ERROR here, once,
    /// unless the user chose a level with <c>TORCH_CPP_LOG_LEVEL</c> (then c10 reads it, as PyTorch does).
    /// </summary>
    private static unsafe void QuietLogs()
    {
        if (Interlocked.Exchange(ref LogLevelSet, 1) == 1)
        {
            return;
        }

        if (!NativeLibrary.TryLoad("libc10.so", typeof(torch).Assembly, null, out var c10))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL") is not null)
        {
            _ = SetEnv("TORCH_CPP_LOG_LEVEL", Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL")!, 1);
            if (NativeLibrary.TryGetExport(c10, "_ZN3c1011initLoggingEv", out var initLogging))
            {
                ((delegate* unmanaged<void>)initLogging)();
            }
        }
        else if (NativeLibrary.TryGetExport(c10, "FLAGS_caffe2_log_level", out var level))
        {
            const int Error = 2;
            *(int*)level = Error;
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
