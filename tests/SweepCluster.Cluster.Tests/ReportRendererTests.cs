using System.Text.RegularExpressions;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed partial class ReportRendererTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" padded", "\" padded\"")]
    [InlineData("", "")]
    public void Csv_fields_are_quoted_as_rfc_4180_says(string value, string field)
    {
        Assert.Equal(field, CsvMatrixRenderer.Field(value));
    }

    [Fact]
    public void Csv_has_one_line_per_configuration_with_invariant_numbers()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("no_skip, \"everywhere\"", 0, 0, summary: ReportTestData.Summary(psnr: 27.5, gain: 1.25)),
            ReportTestData.Trial("no_skip, \"everywhere\"", 1, 1, summary: ReportTestData.Summary(psnr: 28.5, gain: 1.75)),
            ReportTestData.Trial("waiting", 2, 0, TrialState.Pending, parameters: """{"trainer.loss_weights.recon":0.05}"""),
        ];
        var csv = CsvMatrixRenderer.Render(TestMatrixBuilder.Build(ReportTestData.Sweep(), trials));

        var lines = csv.Split("\r\n");
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        var header = lines[0].Split(',');
        Assert.Equal(["config", "kind", "config_key", "trainer.cross_domain_strategy", "trainer.loss_weights.recon", "n"], header[..6]);
        Assert.StartsWith("\"no_skip, \"\"everywhere\"\"\",configuration,\"key-no_skip, \"\"everywhere\"\"\",no_skip,0.5,2,2,2,0,0,0,0,complete,", lines[1], StringComparison.Ordinal);
        var psnrMean = Array.IndexOf(header, "psnr_cross_mean");
        var fields = lines[2].Split(',');
        Assert.Equal("", fields[psnrMean]);
        Assert.Equal("0.05", fields[4]);
        Assert.Contains(",28,0.7071067811865476,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_table_shows_mean_std_n_and_dashes_for_rows_without_results()
    {
        TrialRecord[] trials =
        [
            ReportTestData.Trial("a|b", 0, 0, summary: ReportTestData.Summary(psnr: 27, gain: 0.5)),
            ReportTestData.Trial("a|b", 1, 1, summary: ReportTestData.Summary(psnr: 29, gain: 0.7)),
            ReportTestData.Trial("pending", 2, 0, TrialState.Pending),
        ];

        var markdown = MarkdownMatrixRenderer.Render(TestMatrixBuilder.Build(ReportTestData.Sweep(), trials));
        var rows = markdown.Split('\n').Where(l => l.StartsWith('|')).ToList();

        Assert.Equal(4, rows.Count);
        Assert.Contains("| a\\|b |", rows[2], StringComparison.Ordinal);
        Assert.Contains("| 28.00 ± 1.41 |", rows[2], StringComparison.Ordinal);
        Assert.Contains("| a\\|b | partial | differs (expected pass) | pass? test this! | 2 |", rows[2], StringComparison.Ordinal);
        Assert.Contains("| pending | - |  | pass? test this! | 0 | - | - | - | - | - | - | - | - |  | - | - | - | - | - | 0/1 succeeded; 1 pending |", rows[3], StringComparison.Ordinal);

        // No supervised cross reference here: the fallback rule, and the report says so.
        Assert.Contains("Verdict rule: Without a supervised cross reference: pass:", markdown, StringComparison.Ordinal);
        Assert.Contains("No supervised cross reference in this sweep", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_escapes_everything_that_comes_from_the_sweep()
    {
        var trial = ReportTestData.Trial("<script>alert('x')</script>", 0, 0, expect: "fail & <b>leak</b>",
            parameters: """{"<img src=x onerror=alert(1)>":"\"quoted\""}""");
        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep("<sweep>"), [trial]);

        var html = HtmlReportRenderer.Render(matrix, [new ReportPanel(trial.Definition.Id, "<panel>", Png)]);

        Assert.DoesNotContain("<script>", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>leak", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<sweep>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("fail &amp; &lt;b&gt;leak&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.Contains("alt=\"&lt;panel&gt;\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_is_self_contained_with_a_polyline_per_seed_and_embedded_panels()
    {
        var first = ReportTestData.Trial("a", 0, 0);
        var second = ReportTestData.Trial("a", 1, 1);
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>>
        {
            [first.Definition.Id] = [.. Enumerable.Range(0, 5).Select(e => TestMatrixBuilderTests.Point(first.Definition.Id, 1, e * 10, "loss.cross", 1.0 / (e + 1), e, "epoch"))],
            [second.Definition.Id] = [.. Enumerable.Range(0, 3).Select(e => TestMatrixBuilderTests.Point(second.Definition.Id, 1, e * 10, "loss.cross", 0.9 / (e + 1), e, "epoch"))],
        };
        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), [first, second], points);

        var html = HtmlReportRenderer.Render(matrix, [new ReportPanel(first.Definition.Id, "panel.png", Png), new ReportPanel(second.Definition.Id, "fake.png", "GIF89a"u8.ToArray())]);

        var polylines = PolylinePoints().Matches(html).Select(m => m.Groups[1].Value.Split(' ').Length).ToList();
        Assert.Equal([5, 3], polylines);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64," + Convert.ToBase64String(Png), html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<img "));
        Assert.Contains("is not a PNG; left out", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_round_trips_with_stable_names()
    {
        var trial = ReportTestData.Trial("a", 0, 0);
        TrialRecord[] trials =
        [
            trial,
            ReportTestData.Trial("a", 1, 1, summary: ReportTestData.Summary(gain: 0.5)),
            ReportTestData.Trial("b", 2, 0, TrialState.Running),
        ];
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>> { [trial.Definition.Id] = [TestMatrixBuilderTests.Point(trial.Definition.Id, 1, 1, "loss.cross", 0.5, 0, "epoch")] };
        var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), trials, points);

        var json = JsonMatrixRenderer.Render(matrix);
        var read = JsonMatrixRenderer.Read(json);

        Assert.Equal(json, JsonMatrixRenderer.Render(read));
        Assert.Equal(matrix.Rows[0].PsnrGainCross, read.Rows[0].PsnrGainCross);
        Assert.Equal(matrix.Rows[0].Verdict, read.Rows[0].Verdict);
        Assert.Equal(matrix.Rule, read.Rule);
        Assert.Contains("\"psnr_gain_cross\": {", json, StringComparison.Ordinal);
        Assert.Contains("\"agrees_with_expected\": ", json, StringComparison.Ordinal);
        Assert.Contains("\"verdict\": \"pass\"", json, StringComparison.Ordinal);
        Assert.Contains("\"state\": \"in_progress\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_writes_the_four_files()
    {
        var directory = Path.Combine(Path.GetTempPath(), "sweepcluster-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var matrix = TestMatrixBuilder.Build(ReportTestData.Sweep(), [ReportTestData.Trial("a", 0, 0)]);

            var files = await ReportWriter.WriteAsync(Path.Combine(directory, "out"), matrix, null, CancellationToken.None);

            Assert.Equal(["matrix.csv", "matrix.json", "matrix.md", "report.html"], Directory.GetFiles(Path.Combine(directory, "out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(MarkdownMatrixRenderer.Render(matrix), await File.ReadAllTextAsync(files.Markdown));
            Assert.Equal(matrix.SweepName, JsonMatrixRenderer.Read(await File.ReadAllTextAsync(files.Json)).SweepName);
            Assert.StartsWith("<!DOCTYPE html>", await File.ReadAllTextAsync(files.Html), StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [GeneratedRegex("<polyline [^>]*points=\"([^\"]*)\"")]
    private static partial Regex PolylinePoints();
}
