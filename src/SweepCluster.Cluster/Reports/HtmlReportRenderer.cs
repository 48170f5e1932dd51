using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Renders the matrix as one self-contained HTML page (<c>report.html</c>): inline CSS, the table, and
/// per configuration two plots drawn by ScottPlot as inline SVG (the cross loss per epoch with the configuration's
/// noise floor, the cross PSNR per evaluation with the reference levels), and its trials' PNG panels as base64 data
/// URIs shown enlarged with nearest-neighbour scaling. Nothing is loaded from elsewhere; every text that comes from a
/// sweep file, a trial or the store is HTML-encoded.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>
    /// Panels are shown at a whole multiple of their size up to about this width: trials' tiles are the validation
    /// images at one pixel per pixel (64 px across is common), too small to see noise in; a whole factor with
    /// pixelated scaling keeps each pixel a sharp square. Panels up to 512 px wide get at least 4x.
    /// </summary>
    private const int PanelDisplayWidth = 2048;

    private const int MaxPanelScale = 8;

    internal const string LossTitle = "cross loss per epoch";
    internal const string PsnrTitle = "PSNR of the cross outputs per evaluation";
    internal const string NoiseFloorLabel = "noise floor";

    private const string Style = """
        body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
        table { border-collapse: collapse; font-size: 0.85rem; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; }
        td.verdict-pass { background: #e3f6e3; }
        td.verdict-partial { background: #fff5d6; }
        td.verdict-fail { background: #fbe3e3; }
        section.config { margin-top: 2rem; border-top: 1px solid #ddd; }
        .plots { display: flex; flex-wrap: wrap; gap: 1rem; }
        svg.plot { width: 800px; max-width: 100%; height: auto; }
        .panels { overflow-x: auto; }
        figure { margin: 0.5rem 0; }
        figure img { max-width: none; image-rendering: pixelated; }
        .warnings { color: #8a4b00; }
        """;

    /// <param name="panels">PNG panels of the sweep's trials; each is shown under its trial's configuration. Content that is not a PNG is left out.</param>
    public static string Render(TestMatrix matrix, IReadOnlyList<ReportPanel>? panels = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>Test matrix: ").Append(Encode(matrix.SweepName)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>Test matrix: ").Append(Encode(matrix.SweepName)).Append("</h1>\n");
        if (!string.IsNullOrWhiteSpace(matrix.Question))
        {
            html.Append("<p class=\"question\">Question: ").Append(Encode(matrix.Question)).Append("</p>\n");
        }

        html.Append("<p>Values are mean ± sample standard deviation (n - 1) over the succeeded seeds; n is their number.<br>Verdict rule: ")
            .Append(Encode(matrix.Rule.Describe(matrix.RelativeVerdicts))).Append("<br>").Append(Encode(matrix.VerdictBasis)).Append("</p>\n");
        AppendTable(html, matrix);
        if (matrix.Warnings.Count > 0)
        {
            html.Append("<h2>Warnings</h2>\n<ul class=\"warnings\">\n");
            foreach (var warning in matrix.Warnings)
            {
                html.Append("<li>").Append(Encode(warning)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        var panelsByTrial = (panels ?? []).ToLookup(p => p.TrialId, StringComparer.Ordinal);
        var sections = matrix.TableRows;
        var levels = ReferenceLevels(matrix);
        for (var i = 0; i < sections.Count; i++)
        {
            if (HasSection(sections[i]))
            {
                AppendSection(html, sections[i], i, levels, panelsByTrial);
            }
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendTable(StringBuilder html, TestMatrix matrix)
    {
        html.Append("<table>\n<thead><tr>");
        foreach (var header in MatrixCells.Headers(matrix))
        {
            html.Append("<th>").Append(Encode(header)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        const int verdictColumn = MatrixCells.VerdictColumn;
        var rows = matrix.TableRows;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var cells = MatrixCells.Cells(matrix, row);
            html.Append("<tr>");
            for (var c = 0; c < cells.Count; c++)
            {
                if (c == 0 && !HasSection(row))
                {
                    html.Append("<td>").Append(Encode(cells[c])).Append("</td>");
                }
                else if (c == 0)
                {
                    html.Append("<td><a href=\"#config-").Append(r).Append("\">").Append(Encode(cells[c])).Append("</a></td>");
                }
                else if (c == verdictColumn && row.Verdict is { } verdict)
                {
                    html.Append("<td class=\"verdict-").Append(verdict.ToString().ToLowerInvariant()).Append("\">").Append(Encode(cells[c])).Append("</td>");
                }
                else
                {
                    html.Append("<td>").Append(Encode(cells[c])).Append("</td>");
                }
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendSection(
        StringBuilder html, TestMatrixRow row, int index, IReadOnlyList<PlotLevel> references, ILookup<string, ReportPanel> panelsByTrial)
    {
        html.Append("<section class=\"config\" id=\"config-").Append(index).Append("\">\n<h2>").Append(Encode(row.ConfigName)).Append("</h2>\n")
            .Append("<p>").Append(Encode(row.Status)).Append("; seeds ").Append(Encode(string.Join(", ", row.Seeds))).Append("</p>\n");
        if (row.Parameters.Count > 0)
        {
            html.Append("<p>");
            html.AppendJoin("; ", row.Parameters.Select(p => $"<code>{Encode(p.Key)}</code> = {Encode(p.Value)}"));
            html.Append("</p>\n");
        }

        var (loss, psnr) = Plots(row, references);
        using var disposeLoss = loss;
        using var disposePsnr = psnr;
        html.Append("<div class=\"plots\">\n")
            .Append(ReportPlot.RenderSvg(loss, LossTitle, $"config-{index}-loss")).Append('\n')
            .Append(ReportPlot.RenderSvg(psnr, PsnrTitle, $"config-{index}-psnr")).Append('\n')
            .Append("</div>\n");
        var shown = false;
        foreach (var trialId in row.TrialIds)
        {
            foreach (var panel in panelsByTrial[trialId])
            {
                if (!panel.Png.Span.StartsWith(PngSignature) || panel.Png.Length < 24)
                {
                    html.Append("<p class=\"warnings\">panel ").Append(Encode(panel.Name)).Append(" of trial ").Append(Encode(trialId))
                        .Append(" is not a PNG; left out</p>\n");
                    continue;
                }

                if (!shown)
                {
                    html.Append("<div class=\"panels\">\n");
                    shown = true;
                }

                // IHDR is the first chunk: width and height are big-endian at bytes 16 and 20.
                var width = BinaryPrimitives.ReadInt32BigEndian(panel.Png.Span[16..]);
                var height = BinaryPrimitives.ReadInt32BigEndian(panel.Png.Span[20..]);
                var scale = width > 0 ? Math.Clamp(PanelDisplayWidth / width, 1, MaxPanelScale) : 1;
                html.Append("<figure><img alt=\"").Append(Encode(panel.Name)).Append('"')
                    .Append(Invariant($" width=\"{(long)width * scale}\" height=\"{(long)height * scale}\""))
                    .Append(" src=\"data:image/png;base64,").Append(Convert.ToBase64String(panel.Png.Span)).Append("\"><figcaption>")
                    .Append(Encode(Invariant($"{panel.Name} (trial {trialId}), shown at {scale}x")))
                    .Append("</figcaption></figure>\n");
            }
        }

        if (shown)
        {
            html.Append("</div>\n");
        }

        html.Append("</section>\n");
    }

    /// <summary>
    /// A row's two plots: its cross loss per epoch against its own measured noise floor (the loss a perfect denoiser
    /// would reach on these noisy targets), and its cross PSNR per evaluation against the sweep's reference levels.
    /// </summary>
    internal static (ScottPlot.Plot Loss, ScottPlot.Plot Psnr) Plots(TestMatrixRow row, IReadOnlyList<PlotLevel> references)
    {
        IReadOnlyList<PlotLevel> floor = row.NoiseFloorCross is { } measured ? [new PlotLevel(NoiseFloorLabel, measured.Mean)] : [];
        return (ReportPlot.Build(LossTitle, "epoch", "cross loss", row.CrossLossCurves, floor, integerX: true),
            ReportPlot.Build(PsnrTitle, "step", "PSNR (dB)", row.PsnrCurves, references, integerX: false));
    }

    /// <summary>The PSNR levels every configuration's PSNR plot is read against, in the table's order.</summary>
    internal static IReadOnlyList<PlotLevel> ReferenceLevels(TestMatrix matrix) =>
        [.. (matrix.References ?? [])
            .Where(r => r.PsnrCross is not null)
            .Select(r => new PlotLevel(
                r.Kind switch
                {
                    RowKind.NoisyInput => "noisy input",
                    RowKind.Classical => "classical",
                    RowKind.SupervisedCross => "supervised cross reference",
                    _ => r.ConfigName,
                },
                r.PsnrCross!.Mean))];

    /// <summary>
    /// Rows with trials of their own get a section with plots and panels; the noisy-input and classical rows are read
    /// from every trial's evaluation and have none.
    /// </summary>
    private static bool HasSection(TestMatrixRow row) => row.Kind is RowKind.Configuration or RowKind.SupervisedCross;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
