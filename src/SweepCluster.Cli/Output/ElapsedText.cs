using System.Globalization;

namespace SweepCluster.Cli.Output;

/// <summary>Durations as progress shows them: m:ss, or h:mm:ss from an hour; "-" when unknown.</summary>
internal static class ElapsedText
{
    public static string Format(TimeSpan? span) =>
        span is null ? "-"
        : span.Value.TotalHours >= 1 ? span.Value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : span.Value.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
