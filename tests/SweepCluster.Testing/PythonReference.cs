using System.Diagnostics;
using System.Globalization;

namespace SweepCluster.Testing;

/// <summary>
/// Runs Debian's Python as the independent reference of the numerical tests: always /usr/bin/python3 (the
/// python3 on PATH may be another interpreter without numpy, scikit-image or PyTorch), one thread (as the
/// tests' own side), no stray interpreter settings. A non-zero exit or a time-out fails the test.
/// </summary>
public static class PythonReference
{
    public const string Interpreter = "/usr/bin/python3";

    private const int TimeoutSeconds = 240;

    /// <summary>A script shipped next to the test binaries under <c>Reference/</c>.</summary>
    public static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    /// <summary>Runs the interpreter with <paramref name="arguments"/> and returns its standard output.</summary>
    public static string Run(IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Interpreter);
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Python reference ran past {TimeoutSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the Python reference failed ({process.ExitCode}):\n{stderr.Result}");
        }

        return stdout.Result;
    }

    /// <summary>Runs a script file with arguments.</summary>
    public static string RunScript(string scriptPath, params string[] arguments) => Run([scriptPath, .. arguments]);

    /// <summary>Runs inline code (<c>python3 -c</c>) with arguments.</summary>
    public static string RunCode(string code, params string[] arguments) => Run(["-c", code, .. arguments]);

    /// <summary>Runs a script given on standard input, in <paramref name="workingDirectory"/>.</summary>
    public static string Run(string script, string workingDirectory) => Run(["-"], workingDirectory, script);

    /// <summary>Runs a script that prints numbers separated by white space, and parses them.</summary>
    public static double[] RunNumbers(string script, string workingDirectory) =>
        [.. Run(script, workingDirectory).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture))];
}
