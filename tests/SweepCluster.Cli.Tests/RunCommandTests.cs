using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Integration")]
public sealed class RunCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task A_dry_run_prints_every_trial_and_the_count_and_creates_no_state()
    {
        var sweep = Path.Combine(CliPaths.Sweeps, "seed-test-matrix.yaml");
        var state = Path.Combine(_temp.Path, "state");
        var validated = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(60), "validate", sweep);
        var count = int.Parse(Regex.Match(validated.Output, @": (\d+) trials in").Groups[1].Value, CultureInfo.InvariantCulture);

        var result = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(60), "run", sweep, "--dry-run", "--state", state);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("seed-test-matrix: profile", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s*#\s+trial\s+configuration\s+seed\s+parameters\s+expected\s*$", result.Output);
        // One numbered row per trial, in order, one line each (the output is not a terminal).
        var numbers = Regex.Matches(result.Output, @"(?m)^\s*(\d+)\s{2,}[0-9a-f]{16}\s").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, count), numbers);
        foreach (var row in new[] { "original", "no_skip", "pure_n2n" })
        {
            Assert.Contains(row, result.Output, StringComparison.Ordinal);
        }

        Assert.Contains($"{count} trials (0 combinations skipped by conditions); nothing was run.", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(state), "a dry run created the state directory");
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, ".sweepcluster")), "a dry run created the default state directory");
    }

    [Fact]
    public async Task A_tiny_sweep_runs_end_to_end_and_writes_the_test_matrix()
    {
        var sweep = _temp.Write("tiny.yaml", TinySweeps.TwoRowsTwoSeeds);
        var state = Path.Combine(_temp.Path, "state");

        var result = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(150), "run", sweep, "--state", state, "--cpu-slots", "1", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("sweep tiny.cpu: 4 trials; 1 CPU slot(s) x 1 thread(s)", result.Output, StringComparison.Ordinal);
        Assert.Contains("4/4 done", result.Output, StringComparison.Ordinal);

        // The printed matrix: one row per configuration, n = 2, mean ± std, within 120 columns.
        var tableLines = result.Output.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.All(tableLines, line => Assert.True(line.Length <= 120, $"{line.Length} columns: {line}"));
        var header = Cells(tableLines[0]);
        var nColumn = header.IndexOf("n");
        var psnrColumn = header.IndexOf("PSNR cross (dB)");
        var verdictColumn = header.IndexOf("verdict");
        Assert.True(nColumn > 0 && psnrColumn > 0 && verdictColumn > 0, string.Join(" | ", header));
        var rows = tableLines.Skip(2).Select(Cells).Where(r => r[verdictColumn] != "reference").ToList();
        Assert.Equal(["source_skip", "no_skip"], rows.Select(r => r[0]));

        foreach (var row in rows)
        {
            Assert.Equal("2", row[nColumn]);
            Assert.Matches(@"^-?\d+(\.\d+)? ± \d+(\.\d+)?$", row[psnrColumn]);
            Assert.Contains(row[verdictColumn], new[] { "pass", "fail", "partial" });
        }

        // The four report files.
        var reports = Path.Combine(state, "reports", "tiny.cpu");
        foreach (var file in new[] { "matrix.json", "matrix.csv", "matrix.md", "report.html" })
        {
            Assert.True(File.Exists(Path.Combine(reports, file)), $"{file} missing under {reports}");
        }

        // Every trial measures the noisy input and the tuned Gaussian filter: matrix.md shows their reference rows.
        var markdown = await File.ReadAllTextAsync(Path.Combine(reports, "matrix.md"));
        Assert.Contains("| reference: noisy input | reference |", markdown, StringComparison.Ordinal);
        Assert.Contains("| reference: classical | reference |", markdown, StringComparison.Ordinal);

        // matrix.json: measured PSNR is the mean of the trials' own summaries, and there is a verdict.
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, "matrix.json")));
        var jsonRows = matrix.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["source_skip", "no_skip"], jsonRows.Select(r => r.GetProperty("config_name").GetString()));
        Assert.Equal(["fail", "pass"], jsonRows.Select(r => r.GetProperty("expected_verdict").GetString()));
        foreach (var row in jsonRows)
        {
            Assert.Equal("complete", row.GetProperty("state").GetString());
            var psnr = row.GetProperty("psnr_cross");
            Assert.Equal(2, psnr.GetProperty("n").GetInt32());
            var fromSummaries = row.GetProperty("trial_ids").EnumerateArray()
                .Select(id => SummaryScalar(state, id.GetString()!, "psnr_cross"))
                .Average();
            Assert.Equal(fromSummaries, psnr.GetProperty("mean").GetDouble(), 9);
            var verdict = row.GetProperty("verdict").GetString();
            Assert.Contains(verdict, new[] { "pass", "fail", "partial" });
            Assert.Equal(verdict == row.GetProperty("expected_verdict").GetString(), row.GetProperty("agrees_with_expected").GetBoolean());
        }

        // report.html: self-contained; per configuration a cross loss plot with its noise floor and a PSNR plot with the
        // reference levels, each with labelled axes and a legend naming its seeds.
        var html = await File.ReadAllTextAsync(Path.Combine(reports, "report.html"));
        Assert.DoesNotMatch(@"(?i)(src|href)\s*=\s*[""']?\s*(https?:)?//", html);
        Assert.DoesNotMatch(@"(?i)url\(\s*[""']?\s*(https?:)?//|@import", html);
        var plots = Regex.Matches(html, "<svg.*?</svg>", RegexOptions.Singleline).Select(m => m.Value).ToList();
        Assert.Equal(4, plots.Count); // cross loss and PSNR, per configuration
        for (var i = 0; i < jsonRows.Count; i++)
        {
            var (loss, psnr) = (plots[2 * i], plots[(2 * i) + 1]);
            foreach (var seed in jsonRows[i].GetProperty("seeds").EnumerateArray())
            {
                Assert.Matches($@">\s*seed {seed.GetInt64()}\s*<", loss);
                Assert.Matches($@">\s*seed {seed.GetInt64()}\s*<", psnr);
            }

            Assert.Matches(@">\s*epoch\s*<", loss);
            Assert.Matches(@">\s*cross loss\s*<", loss);
            var floor = jsonRows[i].GetProperty("noise_floor_cross").GetProperty("mean").GetDouble();
            Assert.Matches($@">\s*noise floor {Regex.Escape(floor.ToString("G4", CultureInfo.InvariantCulture))}\s*<", loss);
            Assert.Matches(@">\s*step\s*<", psnr);
            Assert.Matches(@">\s*PSNR \(dB\)\s*<", psnr);
            Assert.Matches(@">\s*noisy input [-\d.]+\s*<", psnr);
            Assert.Matches(@">\s*classical [-\d.]+\s*<", psnr);
        }

        // The trials' panels are embedded and shown at least 4x, a whole factor of the PNG's own size.
        var panels = Regex.Matches(html, @"<img [^>]*width=""(\d+)"" height=""(\d+)"" src=""data:image/png;base64,([^""]+)""").ToList();
        Assert.Equal(4, panels.Count);
        foreach (var panel in panels)
        {
            var png = Convert.FromBase64String(panel.Groups[3].Value);
            var (width, height) = (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
            var scale = int.Parse(panel.Groups[1].Value, CultureInfo.InvariantCulture) / width;
            Assert.True(scale >= 4, $"panel {width}x{height} shown at {scale}x");
            Assert.Equal(width * scale, int.Parse(panel.Groups[1].Value, CultureInfo.InvariantCulture));
            Assert.Equal(height * scale, int.Parse(panel.Groups[2].Value, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Running_an_edited_file_again_runs_its_next_revision_without_the_removed_row()
    {
        var sweep = _temp.Write("revisable.yaml", TinySweeps.Rows("first", "second"));
        var state = Path.Combine(_temp.Path, "state");
        string[] run = ["run", sweep, "--state", state, "--cpu-slots", "1", "--threads", "1"];
        var first = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(150), run);
        Assert.True(first.ExitCode == 0, first.Transcript);
        Assert.Contains("sweep revisable: revision 1: 2 trials added", first.Output, StringComparison.Ordinal);

        await File.WriteAllTextAsync(sweep, TinySweeps.Rows("first", "third"));
        var second = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(150), run);

        Assert.True(second.ExitCode == 0, second.Transcript);
        Assert.Contains("sweep revisable: revision 2 (was 1): 1 trial added, 1 removed, 1 kept; changed: sweep text", second.Output, StringComparison.Ordinal);
        Assert.Contains("2/2 done", second.Output, StringComparison.Ordinal);
        // Three trials ran once each: the kept one was not run again.
        var attempts = Directory.GetDirectories(Path.Combine(state, "attempts")).Select(t => Directory.GetDirectories(t, "attempt-*").Length).ToList();
        Assert.Equal([1, 1, 1], attempts);
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "reports", "revisable", "matrix.json")));
        Assert.Equal(["first", "third"], matrix.RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("config_name").GetString()));
    }

    [Fact]
    public async Task A_sweep_without_a_question_runs()
    {
        // The question is optional in a sweep file; the run must not depend on it.
        var sweep = _temp.Write("minimal.yaml", TinySweeps.Minimal);
        var state = Path.Combine(_temp.Path, "state");

        var result = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(90), "run", sweep, "--state", state, "--cpu-slots", "1", "--threads", "1");

        Assert.True(result.ExitCode == 0, result.Transcript);
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "reports", "minimal", "matrix.json")));
        var row = Assert.Single(matrix.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("complete", row.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_diverging_trial_fails_without_a_retry_and_the_matrix_says_where_it_diverged()
    {
        var sweep = _temp.Write("diverging.yaml", TinySweeps.Diverging);
        var state = Path.Combine(_temp.Path, "state");

        var result = await CliProcess.RunAsync(_temp.Path, TimeSpan.FromSeconds(120), "run", sweep, "--state", state, "--cpu-slots", "1", "--threads", "1");

        // 2: the run finished, not every trial succeeded.
        Assert.True(result.ExitCode == 2, result.Transcript);
        using var matrix = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(state, "reports", "diverging", "matrix.json")));
        var row = Assert.Single(matrix.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("incomplete", row.GetProperty("state").GetString());
        Assert.Equal("0/1 succeeded; 1 failed", row.GetProperty("status").GetString());
        var note = row.GetProperty("note").GetString()!;
        Assert.Matches(@"^seed 0 failed: diverged at step \d+ \(loss[.a-z_]* = (NaN|Infinity|-Infinity)\)$", note);
        Assert.Contains($"diverging: {note}", result.Output, StringComparison.Ordinal);
        var attempts = Directory.GetDirectories(Path.Combine(state, "attempts"), "attempt-*", SearchOption.AllDirectories);
        Assert.True(attempts.Length == 1, string.Join(", ", attempts));
    }

    private static double SummaryScalar(string state, string trialId, string name)
    {
        // The attempt that finished: attempt 1, unless a loaded machine kept its slot busy past the runner's wait and the
        // trial ran again as a later attempt.
        var path = Directory.GetFiles(Path.Combine(state, "attempts", trialId), "summary.json", SearchOption.AllDirectories).Single();
        using var summary = JsonDocument.Parse(File.ReadAllText(path));
        return summary.RootElement.GetProperty("scalars").GetProperty(name).GetDouble();
    }

    private static List<string> Cells(string line) =>
        line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToList();

    public void Dispose() => _temp.Dispose();
}
