using System.Globalization;
using System.Text;

namespace SweepCluster.Telemetry;

/// <summary>Turns instrument names, units, label values and numbers into Prometheus text-format tokens.</summary>
internal static class PrometheusNaming
{
    // OpenTelemetry's Prometheus compatibility table for the units SweepCluster uses, plus dB.
    private static readonly Dictionary<string, string> UnitWords = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["%"] = "percent",
        ["dB"] = "decibels",
        ["Hz"] = "hertz",
        ["Cel"] = "celsius",
    };

    /// <summary>
    /// The metric family name: the instrument name sanitized, the unit's word appended (<c>s</c> -> <c>_seconds</c>,
    /// annotations in braces dropped, <c>1</c> -> <c>_ratio</c> for gauges only), and <c>_total</c> for counters.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, PrometheusKind kind)
    {
        var name = Sanitize(instrumentName, allowColon: true);
        var unitWord = UnitWord(unit, kind);
        if (unitWord.Length > 0 && !name.EndsWith("_" + unitWord, StringComparison.Ordinal))
        {
            name += "_" + unitWord;
        }

        if (kind == PrometheusKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
        {
            name += "_total";
        }

        return name;
    }

    /// <summary>A label name with every character outside [a-zA-Z0-9_] replaced by an underscore.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Escapes HELP text: backslash and line feed.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value as Prometheus parses it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string UnitWord(string? unit, PrometheusKind kind)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return "";
        }

        // Annotations such as {trial} name what is counted, not a unit.
        var withoutAnnotations = new StringBuilder();
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                withoutAnnotations.Append(c);
            }
        }

        var bare = withoutAnnotations.ToString().Trim();
        if (bare.Length == 0)
        {
            return "";
        }

        if (bare == "1")
        {
            return kind == PrometheusKind.Gauge ? "ratio" : "";
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            return Word(bare[..slash]) + "_per_" + PerWord(bare[(slash + 1)..]);
        }

        return Word(bare);
    }

    private static string Word(string unit) => UnitWords.TryGetValue(unit, out var word) ? word : Sanitize(unit, allowColon: false).Trim('_');

    private static string PerWord(string unit) => unit switch
    {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => Word(unit),
    };

    private static string Sanitize(string text, bool allowColon)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            builder.Append(ok ? c : '_');
        }

        // Dots and dashes become underscores; runs of them collapse to one.
        var collapsed = builder.ToString();
        while (collapsed.Contains("__", StringComparison.Ordinal))
        {
            collapsed = collapsed.Replace("__", "_", StringComparison.Ordinal);
        }

        return collapsed.Length == 0 ? "_" : collapsed;
    }
}
