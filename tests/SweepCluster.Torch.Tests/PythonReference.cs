using System.Diagnostics;

namespace SweepCluster.Torch.Tests;

/// <summary>Runs Debian's Python (with PyTorch on the same libtorch) as the independent reference.</summary>
internal static class PythonReference
{
    /// <summary>Debian's interpreter: the one with python3-torch, whatever else is first on PATH.</summary>
    internal const string Interpreter = "/usr/bin/python3";

    internal static string ScriptPath(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", name);

    /// <summary>Runs a script or inline code and returns its standard output; fails the test on a non-zero exit.</summary>
    internal static string Run(IEnumerable<string> arguments, int timeoutSeconds = 240)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The same thread count as the tests' side, and no stray interpreter settings.
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Interpreter);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the Python reference ran past {timeoutSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the Python reference failed ({process.ExitCode}):\n{stderr.Result}");
        }

        return stdout.Result;
    }

    internal static string RunCode(string code, params string[] arguments) => Run(new[] { "-c", code }.Concat(arguments));
}
