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
    /// <c>torch.use_deterministic_algorithms</c> obsolete (it has no native entry), so this calls libtorch's own <c>at::Context</c>
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
    /// The process-wide settings every use of the engine here relies on, applied once, before the first convolution:
    /// libtorch's log level (<see cref="QuietLogs"/>) and how CPU convolutions run. libtorch 2.10's oneDNN kernels
    /// gave wrong results on this project's CI machine (AMD EPYC, AVX-512): with its default AVX-512 code, NaN
    /// gradients in 8 of 200 backward passes of one Conv2d(4, 8, 3) with two threads and wrong transposed
    /// convolutions; with AVX2 code a wrong transposed convolution every time; with AVX code none in 200. So oneDNN is
    /// capped at AVX (<c>ONEDNN_MAX_CPU_ISA</c>, unless the user set it), which keeps most of its speed (the C2C step
    /// 0.92 s, against 0.52 s uncapped and 3.2 s on libtorch's native kernels), and a self-check of a transposed
    /// convolution and a convolution's input gradient against float64 (which oneDNN does not handle) turns oneDNN
    /// off when it still fails. CUDA is not affected.
    /// </summary>
    public static void EnsureConfigured()
    {
        if (Interlocked.Exchange(ref Configured, 1) == 1)
        {
            return;
        }

        QuietLogs();
        const string IsaVariable = "ONEDNN_MAX_CPU_ISA";
        var isa = Environment.GetEnvironmentVariable(IsaVariable);
        if (isa is null && OperatingSystem.IsLinux())
        {
            isa = "AVX";
            Environment.SetEnvironmentVariable(IsaVariable, isa);
            _ = SetEnv(IsaVariable, isa, 0);
        }

        var failure = OneDnnSelfCheck();
        if (failure is not null)
        {
            SetContextFlag("_ZN2at7Context20setUserEnabledMkldnnEb", false);
        }

        CpuConvolutions = failure is null
            ? $"oneDNN (instruction set capped at {isa ?? "its default"}; self-check passed)"
            : $"libtorch's native kernels (oneDNN failed its self-check: {failure})";
    }

    /// <summary>How CPU convolutions run in this process, and why (for <c>sweepcluster doctor</c>).</summary>
    public static string CpuConvolutions { get; private set; } = "not configured yet";

    /// <summary>Null when oneDNN's convolutions agree with exact answers, else what disagreed.</summary>
    private static string? OneDnnSelfCheck()
    {
        using var scope = torch.NewDisposeScope();
        using var grad = torch.enable_grad();
        float[] border = [2, 4, .. Enumerable.Repeat(6f, 12), 4, 2];
        var generator = new torch.Generator(12345);
        for (var i = 0; i < 4; i++)
        {
            // A 3x3 all-ones kernel over two all-ones channels counts the taps that overlap the input: 2 * (1, 2, 3, ..., 3, 2, 1).
            var row = torch.nn.functional.conv_transpose2d(torch.ones(4, 2, 14, 14), torch.ones(2, 8, 3, 3))[0, 0, 0].data<float>().ToArray();
            if (!row.SequenceEqual(border))
            {
                return "a transposed convolution of ones is wrong";
            }

            var x = torch.randn([4, 4, 16, 16], generator: generator).requires_grad_(true);
            var weight = torch.randn([8, 4, 3, 3], generator: generator);
            torch.nn.functional.conv2d(x, weight, padding: [1, 1]).Squared().mean().backward();
            var x64 = x.detach().to(torch.ScalarType.Float64).requires_grad_(true);
            torch.nn.functional.conv2d(x64, weight.to(torch.ScalarType.Float64), padding: [1, 1]).Squared().mean().backward();
            if (!torch.isfinite(x.grad!).all().item<bool>() || !torch.allclose(x.grad!.to(torch.ScalarType.Float64), x64.grad!, 1e-4, 1e-7))
            {
                return "a convolution's input gradient differs from float64";
            }
        }

        return null;
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
