using System.Diagnostics;

namespace SweepCluster.Denoising.Tests.Support;

/// <summary>
/// Runs Debian's Python (always /usr/bin/python3: the python3 on PATH may lack numpy and scikit-image) as the
/// independent reference implementation. Arrays travel through .npy files in a temp folder.
/// </summary>
internal static class PythonReference
{
    private const string Interpreter = "/usr/bin/python3";

    public static string Run(string script, string workingDirectory)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Interpreter);
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Interpreter} failed ({process.ExitCode}):\n{stderr}\nscript:\n{script}");
        }

        return stdout;
    }

    public static double[] RunNumbers(string script, string workingDirectory) =>
        [.. Run(script, workingDirectory).Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Runs a script file with arguments (one thread, as our side's tests); fails on a non-zero exit.</summary>
    public static string RunScript(string scriptPath, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(scriptPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + Interpreter);
        var stderrTask = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var stderr = stderrTask.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Interpreter} {scriptPath} failed ({process.ExitCode}):\n{stderr}");
        }

        return stdout;
    }
}
