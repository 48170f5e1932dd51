using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// What the CLI prints off a terminal (CliProcess redirects its output, as a pipe, a file or a CI
/// log does) and on one (PseudoTerminal): escape codes, widths, whole rows, progress and warnings.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ConsoleOutputTests : IDisposable
{
    private const string Escape = "\u001b";
    private static readonly string SeedMatrix = Path.Combine(CliPaths.Sweeps, "seed-test-matrix.yaml");
    private static readonly string[] SeedConfigurations = ["original", "original_repo", "no_skip", "no_skip_everywhere", "pure_n2n"];
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_piped_dry_run_has_no_escape_codes_and_each_trial_whole_on_one_line()
    {
        // A colour terminal's TERM and no NO_COLOR: only the pipe says "no escape codes".
        var result = await CliProcess.RunWithEnvironmentAsync(
            _temp.Path, Terminal(("NO_COLOR", null)), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", Path.Combine(_temp.Path, "state"));

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.DoesNotContain(Escape, result.Output + result.Error, StringComparison.Ordinal);
        var rows = result.Output.Split('\n').Where(l => Regex.IsMatch(l, @"^\s*\d+\s+[0-9a-f]{16}\s")).ToList();
        // The sweep's supervised cross reference runs first, then the configurations in sweep order.
        Assert.Equal(["reference: supervised_cross", .. SeedConfigurations], rows.Select(r => Regex.Split(r.Trim(), @"\s{2,}")[2]));
        foreach (var configuration in SeedConfigurations)
        {
            // grep finds the trial: one line with its id, its whole name, its parameters and what was expected.
            var line = Assert.Single(result.Output.Split('\n'), l => Regex.IsMatch(l, $@"\s{configuration}\s"));
            Assert.Matches(@"^\s*\d+\s+[0-9a-f]{16}\s+\S+\s+\d+\s+(preset=""repo"", )?trainer\.same_domain_use_skip=\w+, .*model\.decoder_b\.features=\[[\d,]+\]\s+\S", line);
        }

        Assert.Contains(rows, r => r.EndsWith("pass? test this!", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_terminal_gets_colour_unless_NO_COLOR_is_set_or_TERM_is_dumb()
    {
        var sgr = new Regex(@"\u001b\[[0-9;]*m");

        var colour = await PseudoTerminal.RunAsync(_temp.Path, Terminal(), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", Path.Combine(_temp.Path, "state"));
        var noColor = await PseudoTerminal.RunAsync(_temp.Path, Terminal(("NO_COLOR", "1")), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", Path.Combine(_temp.Path, "state"));
        var dumb = await PseudoTerminal.RunAsync(_temp.Path, Terminal(("TERM", "dumb")), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", Path.Combine(_temp.Path, "state"));

        Assert.True(colour.ExitCode == 0, colour.Transcript);
        Assert.Matches(sgr, colour.Output);
        Assert.True(noColor.ExitCode == 0, noColor.Transcript);
        Assert.DoesNotMatch(sgr, noColor.Output);
        Assert.Contains("no_skip_everywhere", noColor.Output, StringComparison.Ordinal);
        Assert.True(dumb.ExitCode == 0, dumb.Transcript);
        Assert.DoesNotMatch(sgr, dumb.Output);
    }

    [Fact]
    public async Task COLUMNS_sets_the_width_of_a_terminal_table()
    {
        var state = Path.Combine(_temp.Path, "state");
        var narrow = await PseudoTerminal.RunAsync(_temp.Path, Terminal(("COLUMNS", "100")), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", state);
        var wide = await PseudoTerminal.RunAsync(_temp.Path, Terminal(("COLUMNS", "180")), TimeSpan.FromSeconds(60), "run", SeedMatrix, "--dry-run", "--state", state);

        Assert.True(narrow.ExitCode == 0, narrow.Transcript);
        Assert.True(wide.ExitCode == 0, wide.Transcript);
        var narrowWidth = PseudoTerminal.Visible(narrow.Output).Split('\n').Max(l => l.TrimEnd().Length);
        var wideWidth = PseudoTerminal.Visible(wide.Output).Split('\n').Max(l => l.TrimEnd().Length);
        Assert.InRange(narrowWidth, 81, 100);
        Assert.InRange(wideWidth, 101, 180);
    }

    [Fact]
    public async Task A_piped_run_prints_plain_progress_a_compact_matrix_and_no_framework_warnings()
    {
        var sweep = _temp.Write("tiny.yaml", TinySweeps.TwoRowsTwoSeeds);
        var state = Path.Combine(_temp.Path, "state");
        // A fresh home, as on a new machine: ASP.NET would create its data-protection keys there.
        var home = Directory.CreateDirectory(Path.Combine(_temp.Path, "home")).FullName;

        var result = await CliProcess.RunWithEnvironmentAsync(
            _temp.Path,
            Terminal(("NO_COLOR", null), ("HOME", home), ("COLUMNS", "90")),
            TimeSpan.FromSeconds(150),
            "run", sweep, "--state", state, "--cpu-slots", "1", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.DoesNotContain(Escape, result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s*(warn|fail|crit):|DataProtection|XML encryptor", result.Output + result.Error);
        Assert.False(Directory.Exists(Path.Combine(home, ".aspnet")), "the run wrote ASP.NET data-protection keys into the home directory");

        // One line per trial start and end, with the trial's id and its whole configuration name.
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "reports", "tiny.cpu", "matrix.json")));
        foreach (var row in matrix.RootElement.GetProperty("rows").EnumerateArray())
        {
            foreach (var id in row.GetProperty("trial_ids").EnumerateArray().Select(i => i.GetString()!))
            {
                var name = row.GetProperty("config_name").GetString()!;
                Assert.Matches($@"(?m)^\[\d+:\d\d\] trial {id} \({name}, seed \d+\) started$", result.Output);
                Assert.Matches($@"(?m)^\[\d+:\d\d\] trial {id} \({name}, seed \d+\) succeeded$", result.Output);
            }
        }

        // Progress lines: 30 s apart at least, except the last one, printed when the sweep ended.
        var progress = Regex.Matches(result.Output, @"(?m)^\[(\d+):(\d\d)\] \d+/4 done")
            .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.True(progress.Count >= 2, result.Transcript);
        Assert.All(progress.Zip(progress.Skip(1)).SkipLast(1), pair => Assert.True(pair.Second - pair.First >= 30, result.Output));
        Assert.Matches(@"(?m)^\[\d+:\d\d\] 4/4 done", result.Output);

        // The compact matrix: within COLUMNS, configuration and verdict first.
        var table = result.Output.Split('\n').Where(l => l.StartsWith('|')).ToList();
        // Header and rule, the two configurations, then the reference rows every trial measures (noisy input, classical).
        Assert.Equal(2 + 2 + 2, table.Count);
        Assert.StartsWith("| reference: noisy input ", table[4], StringComparison.Ordinal);
        Assert.All(table, line => Assert.True(line.Length <= 90, $"{line.Length} columns: {line}"));
        Assert.Matches(@"^\| config\s+\| verdict\s+\| expected\s+\|", table[0]);
        Assert.StartsWith("| source_skip ", table[2], StringComparison.Ordinal);
        Assert.Contains("matrix.md", result.Output, StringComparison.Ordinal);
    }

    /// <summary>A colour terminal's environment, changed by <paramref name="changes"/> (null: removed).</summary>
    private static Dictionary<string, string?> Terminal(params (string Name, string? Value)[] changes)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal) { ["TERM"] = "xterm-256color", ["COLUMNS"] = null };
        foreach (var (name, value) in changes)
        {
            environment[name] = value;
        }

        return environment;
    }

    public void Dispose() => _temp.Dispose();
}
