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
}
