using System.Globalization;
using System.Net;
using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>A small inline SVG line plot: one polyline per series, axes labelled with their ranges.</summary>
internal static class SvgPlot
{
    private const double Width = 420;
    private const double Height = 220;
    private const double Left = 56;
    private const double Right = 12;
    private const double Top = 24;
    private const double Bottom = 32;

    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    public static string Render(string title, string xLabel, IReadOnlyList<CurveSeries> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\">"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"16\" class=\"title\">{Encode(title)}</text>"));
        svg.Append(Invariant($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" class=\"frame\"/>"));
        if (points.Count == 0)
        {
            svg.Append(Invariant($"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\">no data</text></svg>"));
            return svg.ToString();
        }

        var (xMin, xMax) = Range(points.Select(p => p.X));
        var (yMin, yMax) = Range(points.Select(p => p.Y));
        double X(double x) => Left + ((x - xMin) / (xMax - xMin) * (Width - Left - Right));
        double Y(double y) => Height - Bottom - ((y - yMin) / (yMax - yMin) * (Height - Top - Bottom));

        svg.Append(Invariant($"<text x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{Label(yMax)}</text>"));
        svg.Append(Invariant($"<text x=\"{Left - 4}\" y=\"{Height - Bottom}\" text-anchor=\"end\">{Label(yMin)}</text>"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Height - Bottom + 14}\">{Label(xMin)}</text>"));
        svg.Append(Invariant($"<text x=\"{Width - Right}\" y=\"{Height - Bottom + 14}\" text-anchor=\"end\">{Label(xMax)}</text>"));
        svg.Append(Invariant($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 4}\" text-anchor=\"middle\">{Encode(xLabel)}</text>"));
        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var coordinates = string.Join(' ', series[i].Points.Select(p => Invariant($"{Round(X(p.X))},{Round(Y(p.Y))}")));
            svg.Append(Invariant($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{coordinates}\"><title>{Encode($"seed {series[i].Seed} ({series[i].TrialId})")}</title></polyline>"));
            if (series[i].Points.Count == 1)
            {
                // A one-point polyline draws nothing; mark the point.
                var only = series[i].Points[0];
                svg.Append(Invariant($"<circle cx=\"{Round(X(only.X))}\" cy=\"{Round(Y(only.Y))}\" r=\"2.5\" fill=\"{color}\"/>"));
            }

            svg.Append(Invariant($"<text x=\"{Width - Right - 4}\" y=\"{Top + 14 + (12 * i)}\" text-anchor=\"end\" fill=\"{color}\">seed {series[i].Seed}</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var min = list.Min();
        var max = list.Max();
        if (max - min < 1e-12)
        {
            // A flat line sits in the middle of a small band instead of dividing by zero.
            var pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.05 : 1;
            return (min - pad, max + pad);
        }

        return (min, max);
    }

    private static string Round(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Label(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
