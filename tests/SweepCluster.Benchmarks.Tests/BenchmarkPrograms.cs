using System.Diagnostics;

namespace SweepCluster.Benchmarks.Tests;

/// <summary>The built benchmark programs, found from the test's base directory, and a way to run one.</summary>
internal static class BenchmarkPrograms
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The training-step benchmark against PyTorch.</summary>
    public static string Steps => Built("SweepCluster.Benchmarks");

    /// <summary>The orchestration benchmark against Optuna.</summary>
    public static string Orchestration => Built("SweepCluster.OrchestrationBench");

    /// <summary>Runs <c>dotnet program arguments</c> with <paramref name="environment"/> added, and waits (at most two minutes).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} ran past two minutes:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string Built(string project)
    {
        var path = Path.Combine(Root.Value, "benchmarks", project, "bin", "Release", "net10.0", project + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: run ./build.sh build first");
        return path;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SweepCluster.sln")))
            {
                return directory.FullName;
            }
        }

        Assert.Fail($"no SweepCluster.sln above {AppContext.BaseDirectory}: run ./build.sh build first");
        return string.Empty;
    }
}
