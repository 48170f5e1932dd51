using System.Collections.Frozen;
using System.Reflection;

namespace SweepCluster.Coordinator.Web;

/// <summary>
/// The web page's files, embedded in this assembly (<c>Web/Assets</c>, the chart library under <c>vendor/</c> as
/// <c>./build.sh</c> installs it): read once, served from memory.
/// </summary>
internal static class WebAssets
{
    private const string Prefix = "web/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, byte[]>> Files = new(Load);

    /// <summary>The file at <paramref name="path"/> (relative to Assets, with forward slashes) and its content type; null when there is none.</summary>
    public static (byte[] Content, string ContentType)? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Files.Value.TryGetValue(path, out var content)
            ? (content, ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream"))
            : null;
    }

    /// <summary>The text of an embedded file; fails when it is not there (a build without the page's assets).</summary>
    public static string Text(string path) =>
        Find(path) is { } file ? System.Text.Encoding.UTF8.GetString(file.Content) : throw new InvalidOperationException($"The web asset {path} is not embedded.");

    /// <summary>Whether the chart library was embedded (./build.sh installs it before building).</summary>
    public static bool HasVendor => Files.Value.ContainsKey("vendor/uPlot.iife.min.js");

    private static FrozenDictionary<string, byte[]> Load()
    {
        var assembly = typeof(WebAssets).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files[name[Prefix.Length..].Replace('\\', '/')] = copy.ToArray();
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
