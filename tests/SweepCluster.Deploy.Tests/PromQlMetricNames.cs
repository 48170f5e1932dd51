using System.Text.RegularExpressions;

namespace SweepCluster.Deploy.Tests;

/// <summary>Extracts the metric names a PromQL expression selects (enough of PromQL for our dashboards and rules).</summary>
internal static partial class PromQlMetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless",
        "inf", "nan", "Inf", "NaN",
    };

    public static IReadOnlySet<string> Extract(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = LabelMatchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Groupings().Replace(text, " ");
        text = Templates().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifiers().Matches(text))
        {
            var name = match.Groups["name"].Value;
            var isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex("\\{[^}]*\\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex("\\[[^\\]]*\\]")]
    private static partial Regex Ranges();

    [GeneratedRegex("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)")]
    private static partial Regex Groupings();

    [GeneratedRegex("\\$\\w+")]
    private static partial Regex Templates();

    [GeneratedRegex("(?<![\\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\\s*\\()?")]
    private static partial Regex Identifiers();
}
