using System.ComponentModel;
using System.Diagnostics;

namespace SweepCluster.Testing;

/// <summary>
/// Checks, before a benchmark starts, that the references it runs beside our code are installed: the Python
/// modules they import and PostgreSQL's server binaries. A reference that lacks one would otherwise fail half-way
/// through a run with a traceback; this names what is missing, and how to install it, in one line.
/// </summary>
/// <remarks>
/// Modules are imported for real, by the interpreter the reference runs with and in the environment it inherits
/// (<c>PYTHONPATH</c> included): a module that is present but cannot be imported counts as missing. Thread safe.
/// </remarks>
public static class ReferenceCheck
{
    private const int TimeoutSeconds = 120;

    // Prints the name of every argument that does not import, and why (the import error's text, or any other error's type too).
    private const string ImportEach = """
        import importlib, sys
        for name in sys.argv[1:]:
            try:
                importlib.import_module(name)
            except Exception as error:
                why = str(error) if isinstance(error, ImportError) else f"{type(error).__name__}: {error}"
                print(name, why.replace("\n", " "))
        """;

    /// <summary>The modules of <paramref name="modules"/> that <paramref name="interpreter"/> cannot import; the interpreter itself when it cannot run.</summary>
    public static IReadOnlyList<MissingReference> PythonModules(string interpreter, IReadOnlyList<PythonModule> modules)
    {
        ArgumentException.ThrowIfNullOrEmpty(interpreter);
        ArgumentNullException.ThrowIfNull(modules);
        if (modules.Count == 0)
        {
            return [];
        }

        var packages = modules.Select(m => m.DebianPackage).Distinct(StringComparer.Ordinal).ToList();
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(ImportEach);
        foreach (var module in modules)
        {
            start.ArgumentList.Add(module.Name);
        }

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            process = null;
        }

        if (process is null)
        {
            return [new MissingReference($"the Python interpreter {interpreter}", packages)];
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeoutSeconds * 1000))
            {
                process.Kill(entireProcessTree: true);
                return [new MissingReference($"a working Python interpreter {interpreter} (it did not answer in {TimeoutSeconds} s)", packages)];
            }

            if (process.ExitCode != 0)
            {
                var reason = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit code {process.ExitCode}";
                return [new MissingReference($"a working Python interpreter {interpreter} ({reason})", packages)];
            }

            var failed = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(' ', 2))
                .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : string.Empty, StringComparer.Ordinal);
            return
            [
                .. modules.Where(m => failed.ContainsKey(m.Name)).Select(m => new MissingReference(
                    $"Python module {m.Name} ({m.Purpose}; {interpreter} says: {(failed[m.Name].Length > 0 ? failed[m.Name] : "cannot import it")})",
                    [m.DebianPackage])),
            ];
        }
    }

    /// <summary>PostgreSQL's server binaries (what <see cref="PostgresServer"/> starts), or null when they are there.</summary>
    public static MissingReference? PostgresBinaries() =>
        PostgresServer.TryFindBinDirectory(out _)
            ? null
            : new MissingReference("PostgreSQL server binaries (initdb, pg_ctl under /usr/lib/postgresql/<version>/bin or $SWEEPCLUSTER_PG_BIN)", ["postgresql"]);

    /// <summary>
    /// One line naming everything missing and the command that installs it, then <paramref name="otherwise"/> (how to run
    /// without it) when given; null when nothing is missing.
    /// </summary>
    public static string? Describe(IReadOnlyList<MissingReference> missing, string? otherwise)
    {
        ArgumentNullException.ThrowIfNull(missing);
        if (missing.Count == 0)
        {
            return null;
        }

        var packages = string.Join(' ', missing.SelectMany(m => m.DebianPackages).Distinct(StringComparer.Ordinal));
        var line = $"missing for the benchmark's references: {string.Join(", ", missing.Select(m => m.What))}. "
            + $"Install: apt-get install -y {packages} (as root; ./build.sh bench does it)";
        return string.IsNullOrWhiteSpace(otherwise) ? line : $"{line}; or {otherwise}";
    }
}
