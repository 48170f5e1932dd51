using ScottPlot;
using SkiaSharp;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Gives ScottPlot the Liberation Sans face shipped inside this assembly, for every weight and slant. Without it a
/// machine with no fonts installed (a slim container image) renders plots with no text at all: no axis
/// labels, ticks or legend. Liberation Sans has the metrics of Arial and Helvetica, so the SVG's glyph positions,
/// measured here, also fit a viewer that has only those.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string FamilyName = "Liberation Sans";

    private const string ResourceName = "Reports/Fonts/LiberationSans-Regular.ttf";

    private static readonly Lazy<byte[]> FontBytes = new(() =>
    {
        using var stream = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly lacks its embedded font {ResourceName}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private static readonly Lazy<bool> Registered = new(() =>
    {
        Fonts.FontResolvers.Add(new EmbeddedFontResolver());
        return true;
    });

    /// <summary>Adds the resolver to ScottPlot's (process-wide) list once; later calls do nothing.</summary>
    public static void EnsureRegistered() => _ = Registered.Value;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Create(fontName);

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Create(fontName);

    /// <summary>A new typeface per call: ScottPlot owns and caches what it is given.</summary>
    private static SKTypeface? Create(string fontName)
    {
        if (!string.Equals(fontName, FamilyName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        using var data = SKData.CreateCopy(FontBytes.Value);
        return SKTypeface.FromData(data);
    }
}
