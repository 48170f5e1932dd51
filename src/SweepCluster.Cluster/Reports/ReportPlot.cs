using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using ScottPlot;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// A line plot of report.html, drawn by ScottPlot and embedded as inline SVG: one line per seed, horizontal lines
/// for the noise floor or the reference levels, labelled axes with ticks, a title and a legend outside the data area.
/// </summary>
internal static partial class ReportPlot
{
    /// <summary>Wide enough that the legend, outside on the right, leaves the data area about 500 px across.</summary>
    public const int Width = 800;

    public const int Height = 440;

    /// <summary>
    /// Level line patterns, in order (a floor; or noisy input, classical, supervised cross reference); the lines are
    /// black, so they never share a colour with a seed's line.
    /// </summary>
    private static readonly LinePattern[] LevelPatterns = [LinePattern.Dashed, LinePattern.Dotted, LinePattern.Solid];

    /// <summary>
    /// The plot as ScottPlot's model, before rendering. The y range is set to include the levels: ScottPlot's
    /// automatic limits follow the data only, which would leave a floor far below the curves out of view.
    /// </summary>
    /// <param name="integerX">Epochs get whole-number ticks only.</param>
    public static Plot Build(
        string title, string xLabel, string yLabel, IReadOnlyList<CurveSeries> series, IReadOnlyList<PlotLevel> levels, bool integerX)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(levels);
        EmbeddedFontResolver.EnsureRegistered();
        var plot = new Plot();
        plot.Font.Set(EmbeddedFontResolver.FamilyName);
        // Only the regular face is shipped; a bold label would be drawn regular here but bold in the viewer.
        plot.Axes.Title.Label.Bold = false;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        plot.Title(series.Count == 0 ? $"{title} (no points)" : title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (integerX)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }

        foreach (var curve in series)
        {
            var line = plot.Add.Scatter(curve.Points.Select(p => p.X).ToArray(), curve.Points.Select(p => p.Y).ToArray());
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"seed {curve.Seed}");
            line.LineWidth = 1.5f;
            line.MarkerSize = curve.Points.Count == 1 ? 6 : 3;
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var line = plot.Add.HorizontalLine(levels[i].Value);
            line.LegendText = $"{levels[i].Label} {Format(levels[i].Value)}";
            line.Color = Colors.Black;
            line.LineWidth = 1.5f;
            line.LinePattern = LevelPatterns[i % LevelPatterns.Length];
        }

        var ys = series.SelectMany(s => s.Points).Select(p => p.Y).Concat(levels.Select(l => l.Value)).ToList();
        if (ys.Count > 0)
        {
            var (low, high) = (ys.Min(), ys.Max());
            // A flat line gets a small band around it instead of a zero-height range.
            var pad = high - low > 1e-12 ? (high - low) * 0.08 : Math.Max(Math.Abs(low) * 0.05, 1e-3);
            plot.Axes.SetLimitsY(low - pad, high + pad);
        }

        plot.ShowLegend(Edge.Right);
        return plot;
    }

    /// <summary>
    /// The plot as an SVG element to place in an HTML page. <paramref name="idPrefix"/> makes the SVG's clip-path
    /// ids unique in the page whatever the library does: ScottPlot 5.1 numbers them (<c>cl_4</c>) with a counter
    /// that happens to run on across plots, which it does not promise, and in one HTML document a repeated id would
    /// let one plot clip to another's rectangle.
    /// </summary>
    public static string RenderSvg(Plot plot, string title, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(plot);
        var svg = plot.GetSvgXml(Width, Height);
        svg = XmlDeclaration().Replace(svg, string.Empty);
        svg = IdAttribute().Replace(svg, m => $"id=\"{idPrefix}-{m.Groups[1].Value}\"");
        svg = IdReference().Replace(svg, m => $"url(#{idPrefix}-{m.Groups[1].Value})");
        // Text is placed glyph by glyph with Liberation Sans' widths; Arial and Helvetica have the same ones.
        svg = FontFamily().Replace(svg, m => $"font-family=\"{m.Groups[1].Value}, Arial, Helvetica, sans-serif\"");
        var open = svg.IndexOf("<svg", StringComparison.Ordinal);
        return svg[..open] + string.Create(
            CultureInfo.InvariantCulture,
            $"<svg class=\"plot\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(title)}\" viewBox=\"0 0 {Width} {Height}\"") + svg[(open + 4)..];
    }

    /// <summary>The value as the legend shows it.</summary>
    public static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex IdReference();

    [GeneratedRegex("font-family=\"([^\",]+)\"")]
    private static partial Regex FontFamily();
}
