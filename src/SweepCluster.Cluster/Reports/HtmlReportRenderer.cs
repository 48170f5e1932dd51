using System.Net;
using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Renders the matrix as one self-contained HTML page (<c>report.html</c>): inline CSS, the table, and
/// per configuration inline SVG plots of the cross loss per epoch and the cross PSNR per evaluation, and
/// its trials' PNG panels as base64 data URIs. Nothing is loaded from elsewhere; every text that comes
/// from a sweep file, a trial or the store is HTML-encoded.
/// </summary>
public static class HtmlReportRenderer
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

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
        svg.plot { font-size: 10px; }
        svg.plot .frame { fill: none; stroke: #999; }
        svg.plot .title { font-weight: bold; }
        figure { display: inline-block; margin: 0.5rem; }
        figure img { max-width: 480px; image-rendering: pixelated; }
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
        for (var i = 0; i < sections.Count; i++)
        {
            if (HasSection(sections[i]))
            {
                AppendSection(html, sections[i], i, panelsByTrial);
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

    private static void AppendSection(StringBuilder html, TestMatrixRow row, int index, ILookup<string, ReportPanel> panelsByTrial)
    {
        html.Append("<section class=\"config\" id=\"config-").Append(index).Append("\">\n<h2>").Append(Encode(row.ConfigName)).Append("</h2>\n")
            .Append("<p>").Append(Encode(row.Status)).Append("; seeds ").Append(Encode(string.Join(", ", row.Seeds))).Append("</p>\n");
        if (row.Parameters.Count > 0)
        {
            html.Append("<p>");
            html.AppendJoin("; ", row.Parameters.Select(p => $"<code>{Encode(p.Key)}</code> = {Encode(p.Value)}"));
            html.Append("</p>\n");
        }

        html.Append("<div class=\"plots\">\n")
            .Append(SvgPlot.Render("cross loss per epoch", "epoch", row.CrossLossCurves)).Append('\n')
            .Append(SvgPlot.Render("PSNR of the cross outputs (dB) per evaluation", "step", row.PsnrCurves)).Append('\n')
            .Append("</div>\n");
        foreach (var trialId in row.TrialIds)
        {
            foreach (var panel in panelsByTrial[trialId])
            {
                if (!panel.Png.Span.StartsWith(PngSignature))
                {
                    html.Append("<p class=\"warnings\">panel ").Append(Encode(panel.Name)).Append(" of trial ").Append(Encode(trialId))
                        .Append(" is not a PNG; left out</p>\n");
                    continue;
                }

                html.Append("<figure><img alt=\"").Append(Encode(panel.Name)).Append("\" src=\"data:image/png;base64,")
                    .Append(Convert.ToBase64String(panel.Png.Span)).Append("\"><figcaption>").Append(Encode($"{panel.Name} (trial {trialId})"))
                    .Append("</figcaption></figure>\n");
            }
        }

        html.Append("</section>\n");
    }

    /// <summary>
    /// Rows with trials of their own get a section with plots and panels; the noisy-input and classical rows are read
    /// from every trial's evaluation and have none.
    /// </summary>
    private static bool HasSection(TestMatrixRow row) => row.Kind is RowKind.Configuration or RowKind.SupervisedCross;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
