using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class TrialCommandsTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task Train_for_a_few_steps_prints_an_epoch_table_and_a_summary_and_writes_its_files()
    {
        var config = Path.Combine(CliPaths.Sweeps, "trials", "original.yaml");
        var output = Path.Combine(_temp.Path, "out");

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "train", "--config", config, "--steps", "6", "--out", output);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains($"training original (C2c, Shared, cross skips Target); output in {output}", result.Output, StringComparison.Ordinal);
        var lines = result.Output.Split('\n');
        var header = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^\s*epoch\s+content\s+recon\s+cross\s"));
        Assert.True(header >= 0, result.Transcript);
        Assert.Matches(@"^\s+1\s", lines[header + 1]);

        var summary = Array.FindIndex(lines, l => l.Trim() == "summary");
        Assert.True(summary > header, result.Transcript);
        var printed = lines.Skip(summary + 1)
            .Select(l => Regex.Match(l, @"^\s+(\w+)\s+(\S+)$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.Equal(6, printed["steps"]);
        Assert.True(printed.ContainsKey("psnr_cross"), result.Transcript);

        foreach (var file in new[] { "metrics.jsonl", "checkpoint.pt", "summary.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} missing in {output}");
        }

        Assert.True(new FileInfo(Path.Combine(output, "checkpoint.pt")).Length > 0);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "summary.json")));
        var scalars = written.RootElement.GetProperty("scalars");
        Assert.Equal(6, scalars.GetProperty("steps").GetDouble());
        // The printed summary is the written one (G5 rounding).
        var psnr = scalars.GetProperty("psnr_cross").GetDouble();
        Assert.Equal(psnr, printed["psnr_cross"], Math.Abs(psnr) * 1e-4);
        var stepsSeen = File.ReadLines(Path.Combine(output, "metrics.jsonl"))
            .Select(l => JsonSerializer.Deserialize<JsonElement>(l))
            .Where(e => e.GetProperty("kind").GetString() == "step")
            .Select(e => e.GetProperty("step").GetInt64())
            .Distinct()
            .Order()
            .ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], stepsSeen);
        Assert.DoesNotContain("NNPACK", result.Transcript, StringComparison.Ordinal);

        // A researcher opens both files in PyTorch: the checkpoint's model entry and model.pt are state dicts of the
        // same network, and the checkpoint knows its step.
        var python = PythonReference.RunCode(
            "import sys, torch\n"
            + "c = torch.load(sys.argv[1]); w = torch.load(sys.argv[2])\n"
            + "assert set(c['model']) == set(w), 'model.pt and the checkpoint name different parameters'\n"
            + "print(c['step'], len(w), tuple(w['encoder.inc.net.0.weight'].shape), sorted(c['optimizer']))\n",
            Path.Combine(output, "checkpoint.pt"),
            Path.Combine(output, "model.pt"));
        Assert.Matches(@"^6 \d+ \(16, 1, 3, 3\) \['param_groups', 'state'\]", python.Trim());
    }

    [Fact]
    public async Task The_published_layout_loads_TorchSharp_and_trains_a_step()
    {
        // What the images ship: `dotnet publish` of the CLI, native libraries under runtimes/, the build's
        // compatibility fix applied there too where this system needs it.
        var publish = Path.Combine(_temp.Path, "publish");
        var project = Path.Combine(CliPaths.RepositoryRoot, "src", "SweepCluster.Cli");
        var published = await RunProcessAsync("dotnet", ["publish", project, "-c", "Release", "-o", publish, "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(8));
        Assert.True(published.ExitCode == 0, published.Output);

        var doctor = await RunProcessAsync("dotnet", [Path.Combine(publish, "sweepcluster.dll"), "doctor"], Timeout);

        Assert.True(doctor.ExitCode == 0, doctor.Output);
        Assert.Matches(@"(?m)^libtorch\s+2\.10", doctor.Output);
        Assert.Matches(@"(?m)^compat fix\s+(applied|not applied)", doctor.Output);
        Assert.Matches(@"(?m)^train step\s+[0-9.]+ ms median on cpu .* loss [0-9.]+$", doctor.Output);
        Assert.DoesNotContain("NNPACK", doctor.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran past {timeout}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_trial_child_asked_to_stop_with_sigterm_ends_with_exit_code_143_and_whole_metric_lines()
    {
        // How a silo stops an attempt whose trial was cancelled or pruned: SIGTERM first, a kill only after a grace.
        var config = Path.Combine(CliPaths.Sweeps, "trials", "no_skip.yaml");
        using var child = CliProcess.Start(_temp.Path, "trial-run", "--config", config, "--out", Path.Combine(_temp.Path, "attempt"), "--device", "cpu", "--threads", "1");
        await child.WaitForLineAsync(l => l.Contains("\"type\":\"metric\"", StringComparison.Ordinal) && l.Contains("\"kind\":\"step\"", StringComparison.Ordinal),
            Timeout, "a step's metric");

        await child.SignalAsync("TERM");
        var ended = await child.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(ended.ExitCode == 143, ended.Transcript);
        Assert.DoesNotContain("\"type\":\"summary\"", ended.Output, StringComparison.Ordinal);
        // It stopped between steps: every metric line it wrote is whole.
        var lines = await File.ReadAllLinesAsync(Path.Combine(_temp.Path, "attempt", "metrics.jsonl"));
        Assert.NotEmpty(lines);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task Diagnose_watches_the_asked_steps_and_prints_its_checks()
    {
        var config = Path.Combine(CliPaths.Sweeps, "trials", "no_skip.yaml");

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "diagnose", "--config", config, "--steps", "3");

        Assert.Contains("config no_skip:", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^shapes: x \[8, 1, 48, 48\]", result.Output);
        var steps = Regex.Matches(result.Output, @"(?m)^step\s+(\d+):").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal([1, 2, 3], steps);
        Assert.Contains("What to look for:", result.Output, StringComparison.Ordinal);
        var checks = Regex.Matches(result.Output, @"(?m)^\s+\[( OK |FAIL)\] (.+)$").ToList();
        Assert.True(checks.Count >= 4, result.Transcript);
        Assert.Contains(checks, c => c.Groups[2].Value.StartsWith("cross error must go down", StringComparison.Ordinal));
        // The exit code says whether every check passed.
        var failed = checks.Any(c => c.Groups[1].Value == "FAIL");
        Assert.True(result.ExitCode == (failed ? 3 : 0), result.Transcript);
    }

    [Fact]
    public async Task A_config_with_an_unknown_key_is_refused_naming_the_key_and_the_closest_valid_one()
    {
        var config = _temp.Write("bad.yaml", """
            name: bad
            trainer:
              epocs: 3
            """);
        var output = Path.Combine(_temp.Path, "out");

        var result = await CliProcess.RunAsync(_temp.Path, Timeout, "train", "--config", config, "--steps", "2", "--out", output);

        Assert.True(result.ExitCode != 0, result.Transcript);
        Assert.Matches(@"trainer\.epocs .*line 3, column 3.*unknown key; did you mean 'epochs'\?", result.Error);
        Assert.Contains($"1 problem(s) in {config}; nothing was run.", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output), "a refused config still created its output directory");
    }

    public void Dispose() => _temp.Dispose();
}
