using System.Text.RegularExpressions;
using ScottPlot.Plottables;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed partial class ReportRendererTests
{
    /// <summary>A PNG's signature and IHDR chunk: a panel 70 px wide and 30 px high (the renderer reads no further).</summary>
    private static readonly byte[] Png =
    [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A,
        0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 70, 0, 0, 0, 30, 8, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

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
    public void Html_is_self_contained_with_a_loss_and_a_psnr_plot_per_configuration_and_enlarged_panels()
    {
        var (matrix, first, second) = PlottedMatrix();

        var html = HtmlReportRenderer.Render(matrix, [new ReportPanel(first.Definition.Id, "panel.png", Png), new ReportPanel(second.Definition.Id, "fake.png", "GIF89a"u8.ToArray())]);

        // Nothing is fetched from elsewhere: no external src, href, url() or import, no script.
        Assert.DoesNotMatch(@"(?i)(src|href)\s*=\s*[""']?\s*(https?:)?//", html);
        Assert.DoesNotMatch(@"(?i)url\(\s*[""']?\s*(https?:)?//|@import", html);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);

        // Sections: configurations a and b and the supervised cross reference; each has a loss and a PSNR plot.
        var plots = Plots().Matches(html).Select(m => m.Value).ToList();
        Assert.Equal(6, plots.Count);
        var loss = plots.Where(p => Texts(p).Contains(HtmlReportRenderer.LossTitle)).ToList();
        var psnr = plots.Where(p => Texts(p).Contains(HtmlReportRenderer.PsnrTitle)).ToList();
        Assert.Equal(3, loss.Count);
        Assert.Equal(3, psnr.Count);
        Assert.All(loss, p => Assert.Superset(new HashSet<string> { "epoch", "cross loss" }, Texts(p).ToHashSet()));
        Assert.All(psnr, p => Assert.Superset(new HashSet<string> { "step", "PSNR (dB)" }, Texts(p).ToHashSet()));
        Assert.All(plots, p => Assert.True(Texts(p).Count(IsNumber) >= 6, "a plot has tick labels on both axes"));

        // The legend names each seed and the floor or reference lines with their values.
        Assert.Superset(new HashSet<string> { "seed 0", "seed 1", "noise floor 0.13" }, Texts(loss[0]).ToHashSet());
        Assert.Superset(new HashSet<string> { "seed 2", "noise floor 0.21" }, Texts(loss[1]).ToHashSet());
        Assert.DoesNotContain("seed 2", Texts(loss[0]));
        Assert.Superset(new HashSet<string> { "seed 0", "seed 1", "noisy input 22", "classical 25", "supervised cross reference 30" }, Texts(psnr[0]).ToHashSet());

        // Clip-path ids are unique in the page, so no plot clips to another's rectangle.
        var ids = Regex.Matches(html, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());

        // The panel is embedded and shown at a whole factor (8x, the largest) with nearest-neighbour scaling.
        Assert.Contains("width=\"560\" height=\"240\" src=\"data:image/png;base64," + Convert.ToBase64String(Png), html, StringComparison.Ordinal);
        Assert.Contains("image-rendering: pixelated", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<img "));
        Assert.Contains("is not a PNG; left out", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_lines_are_the_seeds_the_rows_floor_and_the_reference_levels()
    {
        var (matrix, first, second) = PlottedMatrix();
        var row = matrix.Rows.Single(r => r.ConfigName == "a");

        var (loss, psnr) = HtmlReportRenderer.Plots(row, HtmlReportRenderer.ReferenceLevels(matrix));
        using var disposeLoss = loss;
        using var disposePsnr = psnr;

        var seeds = loss.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(["seed 0", "seed 1"], seeds.Select(s => s.LegendText));
        Assert.Equal(5, seeds[0].Data.GetScatterPoints().Count);
        var floor = Assert.Single(loss.GetPlottables().OfType<HorizontalLine>());
        Assert.Equal(row.NoiseFloorCross!.Mean, floor.Y, 12);
        Assert.Equal(0.13, floor.Y, 12);
        // The floor is in view although the curves stay far above it.
        Assert.InRange(floor.Y, loss.Axes.GetLimits().Bottom, loss.Axes.GetLimits().Top);

        Assert.Equal(2, psnr.GetPlottables().OfType<Scatter>().Count());
        var levels = psnr.GetPlottables().OfType<HorizontalLine>().ToDictionary(l => l.LegendText, l => l.Y);
        Assert.Equal(new Dictionary<string, double> { ["noisy input 22"] = 22, ["classical 25"] = 25, ["supervised cross reference 30"] = 30 }, levels);
        Assert.All(levels.Values, y => Assert.InRange(y, psnr.Axes.GetLimits().Bottom, psnr.Axes.GetLimits().Top));
        Assert.NotEqual(first.Definition.Id, second.Definition.Id);
    }

    [Fact]
    public void Plots_use_the_embedded_font_so_a_machine_without_fonts_still_labels_them()
    {
        var resolver = new EmbeddedFontResolver();

        using var typeface = resolver.CreateTypeface("Liberation Sans", bold: true, italic: false);

        Assert.NotNull(typeface);
        Assert.Equal("Liberation Sans", typeface.FamilyName);
        Assert.True(typeface.GlyphCount > 100, $"{typeface.GlyphCount} glyphs");
        Assert.Null(resolver.CreateTypeface("Some Other Face", bold: false, italic: false));
        using var plot = ReportPlot.Build("t", "x", "y", [new CurveSeries("trial", 3, [new CurvePoint(0, 1), new CurvePoint(1, 2)])], [], integerX: true);
        var families = Regex.Matches(ReportPlot.RenderSvg(plot, "t", "p"), "font-family=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(["Liberation Sans, Arial, Helvetica, sans-serif"], families);
    }

    [Fact]
    public void Plot_svg_ids_carry_the_given_prefix_and_its_references_resolve_inside_it()
    {
        using var plot = ReportPlot.Build("t", "x", "y", [new CurveSeries("trial", 3, [new CurvePoint(0, 1), new CurvePoint(1, 2)])], [new PlotLevel("floor", 0.5)], integerX: true);

        var svg = ReportPlot.RenderSvg(plot, "t", "config-7-loss");

        var ids = Regex.Matches(svg, "id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        var references = Regex.Matches(svg, @"url\(#([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.StartsWith("config-7-loss-", id, StringComparison.Ordinal));
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r, ids));
        Assert.StartsWith("<svg class=\"plot\" role=\"img\" aria-label=\"t\" viewBox=\"0 0 800 440\"", svg, StringComparison.Ordinal);
    }

    /// <summary>
    /// Configuration a (seeds 0 and 1, floor 0.13) with five and three epochs of cross loss and PSNR evaluations,
    /// configuration b (seed 2, floor 0.21), and a supervised cross reference at 30 dB; noisy input 22 dB, classical 25 dB.
    /// </summary>
    private static (TestMatrix Matrix, TrialRecord First, TrialRecord Second) PlottedMatrix()
    {
        var reference = ReportTestData.Reference(0, 9, ReportTestData.ReferenceSummary(psnr: 30));
        var first = ReportTestData.Trial("a", 1, 0, summary: ReportTestData.ReferenceSummary(psnr: 27));
        var second = ReportTestData.Trial("a", 2, 1, summary: ReportTestData.ReferenceSummary(psnr: 27));
        var third = ReportTestData.Trial("b", 3, 2, summary: ReportTestData.ReferenceSummary(psnr: 26, crossLoss: 0.3, floor: 0.21));
        static IEnumerable<MetricPointRecord> Curve(TrialRecord trial, int epochs, double scale) =>
            Enumerable.Range(0, epochs).SelectMany(e => new[]
            {
                TestMatrixBuilderTests.Point(trial.Definition.Id, 1, e * 10, "loss.cross", scale / (e + 1), e, "epoch"),
                TestMatrixBuilderTests.Point(trial.Definition.Id, 1, e * 10, "eval.x_a_from_b.psnr", 23 + e, e, "eval"),
                TestMatrixBuilderTests.Point(trial.Definition.Id, 1, e * 10, "eval.x_b_from_a.psnr", 24 + e, e, "eval"),
            });
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>>
        {
            [first.Definition.Id] = [.. Curve(first, 5, 1.0)],
            [second.Definition.Id] = [.. Curve(second, 3, 0.9)],
            [third.Definition.Id] = [.. Curve(third, 4, 1.2)],
            [reference.Definition.Id] = [.. Curve(reference, 4, 0.8)],
        };
        return (TestMatrixBuilder.Build(ReportTestData.Sweep(), [reference, first, second, third], points), first, second);
    }

    /// <summary>The texts of an SVG's text elements, whitespace trimmed and XML-decoded.</summary>
    private static List<string> Texts(string svg) =>
        [.. SvgTexts().Matches(svg).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value.Trim()))];

    private static bool IsNumber(string text) => double.TryParse(text.Replace('\u2212', '-'), System.Globalization.CultureInfo.InvariantCulture, out _);

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

    [GeneratedRegex("<svg.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex Plots();

    [GeneratedRegex("<text[^>]*>([^<]*)</text>")]
    private static partial Regex SvgTexts();
}
