namespace SweepCluster.Benchmarks.Tests;

/// <summary>A benchmark whose reference lacks a module stops before it starts, with one line saying what to install.</summary>
[Trait("Category", "Integration")]
public sealed class BenchmarkSetupTests
{
    private const int MissingReferenceExitCode = 3;

    [Fact]
    public async Task Orchestration_benchmark_without_psycopg2_names_the_package_in_one_line_and_runs_nothing()
    {
        using var hidden = new HiddenPythonModules("psycopg2");

        var (exitCode, stdout, stderr) = await BenchmarkPrograms.RunAsync(
            BenchmarkPrograms.Orchestration,
            ["overhead", "--stores", "postgres", "--trials", "2", "--workers", "1", "--slots-per-silo", "1"],
            new Dictionary<string, string> { ["PYTHONPATH"] = hidden.PythonPath });

        Assert.Equal(MissingReferenceExitCode, exitCode);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("missing for the benchmark's references: Python module psycopg2", line, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y python3-psycopg2", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orchestration_benchmark_with_an_interpreter_that_does_not_exist_says_so_in_one_line()
    {
        var (exitCode, stdout, stderr) = await BenchmarkPrograms.RunAsync(
            BenchmarkPrograms.Orchestration,
            ["overhead", "--stores", "sqlite", "--trials", "2", "--workers", "1", "--python", "/nonexistent/python3"],
            new Dictionary<string, string>());

        Assert.Equal(MissingReferenceExitCode, exitCode);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("the Python interpreter /nonexistent/python3", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Step_benchmark_without_PyTorch_names_the_package_in_one_line()
    {
        using var hidden = new HiddenPythonModules("torch");

        var (exitCode, stdout, stderr) = await BenchmarkPrograms.RunAsync(
            BenchmarkPrograms.Steps,
            ["--model", "unet", "--rounds", "1", "--steps", "1"],
            new Dictionary<string, string> { ["PYTHONPATH"] = hidden.PythonPath });

        Assert.Equal(MissingReferenceExitCode, exitCode);
        Assert.Equal(string.Empty, stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("missing for the benchmark's references: Python module torch", line, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y python3-torch", line, StringComparison.Ordinal);
    }
}
