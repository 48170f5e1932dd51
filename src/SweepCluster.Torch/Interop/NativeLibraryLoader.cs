using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace SweepCluster.Torch.Interop;

/// <summary>
/// Finds libsweeptorch for this assembly's P/Invokes, checks its ABI version, and, when it
/// cannot be loaded, explains every path it tried and how to build the library.
/// </summary>
internal static class NativeLibraryLoader
{
    /// <summary>Environment variable naming the library file explicitly.</summary>
    internal const string PathVariable = "SWEEPTORCH_LIBRARY";

    internal const string BuildHint =
        "Build it with `./build.sh native` from the repository root (it installs libtorch-dev when run as root), " +
        $"or point {PathVariable} at an existing libsweeptorch.so.";

    private const string FileName = "libsweeptorch.so";

    private static readonly Lock Gate = new();
    private static IntPtr _loaded;

#pragma warning disable CA2255 // The resolver must be in place before the first P/Invoke of this assembly runs.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.Library)
        {
            return IntPtr.Zero;
        }

        lock (Gate)
        {
            if (_loaded == IntPtr.Zero)
            {
                _loaded = Load();
            }

            return _loaded;
        }
    }

    /// <summary>The candidate files, most specific first.</summary>
    internal static IReadOnlyList<string> CandidatePaths()
    {
        var paths = new List<string>();
        var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            paths.Add(explicitPath);
        }

        var baseDirectory = AppContext.BaseDirectory;
        paths.Add(Path.Combine(baseDirectory, FileName));
        paths.Add(Path.Combine(baseDirectory, "runtimes", "linux-x64", "native", FileName));

        // A development checkout: the native build lives in <repo>/build/native.
        var directory = new DirectoryInfo(baseDirectory);
        for (var depth = 0; directory is not null && depth < 10; depth++, directory = directory.Parent)
        {
            paths.Add(Path.Combine(directory.FullName, "build", "native", FileName));
        }

        return paths.Distinct(StringComparer.Ordinal).ToList();
    }

    private static unsafe IntPtr Load()
    {
        var failures = new StringBuilder();
        foreach (var path in CandidatePaths())
        {
            if (!File.Exists(path))
            {
                failures.Append("  ").Append(path).AppendLine(": not found");
                continue;
            }

            if (NativeLibrary.TryLoad(path, out var handle))
            {
                CheckAbi(handle, path);
                return handle;
            }

            failures.Append("  ").Append(path).Append(": exists but failed to load (").Append(LoadError(path)).AppendLine(")");
        }

        throw new DllNotFoundException(
            $"Could not load {FileName}, the libtorch shim SweepCluster trains with. Paths tried:{Environment.NewLine}" +
            failures +
            BuildHint +
            " If the file exists but fails to load, libtorch itself is missing: `apt-get install libtorch-dev`.");
    }

    private static string LoadError(string path)
    {
        try
        {
            NativeLibrary.Load(path);
            return "unknown error";
        }
        catch (DllNotFoundException e)
        {
            return e.Message;
        }
        catch (BadImageFormatException e)
        {
            return e.Message;
        }
    }

    private static unsafe void CheckAbi(IntPtr handle, string path)
    {
        var export = NativeLibrary.GetExport(handle, "st_abi_version");
        var version = ((delegate* unmanaged<int>)export)();
        if (version != NativeMethods.AbiVersion)
        {
            throw new DllNotFoundException(
                $"{path} has ABI version {version} but this binding needs {NativeMethods.AbiVersion}: the native build is stale. {BuildHint}");
        }
    }
}
