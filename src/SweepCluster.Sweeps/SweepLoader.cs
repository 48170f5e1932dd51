using System.Text;

namespace SweepCluster.Sweeps;

/// <summary>
/// Reads and validates sweep files. Reads no file but the sweep (in <see cref="Load"/>) and the
/// preset files it names (resolved against the sweep file's folder); reports every problem of a
/// file and of its presets at once rather than stopping at the first.
/// </summary>
public static class SweepLoader
{
    /// <summary>Sweep and preset files larger than this are refused before they are parsed.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> and validates it against <paramref name="schema"/>.</summary>
    public static SweepLoadResult Load(string path, ITrialConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        var problem = TryRead(path, "the sweep file", out var text);
        return problem is null ? Parse(text, path, schema) : Failure(path, problem);
    }

    /// <summary>
    /// Validates sweep text; <paramref name="fileName"/> names it in errors, and a relative
    /// <c>preset</c> path is resolved against the folder of its full path (the current folder for a
    /// bare name).
    /// </summary>
    public static SweepLoadResult Parse(string text, string fileName, ITrialConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(schema);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxFileBytes)
        {
            return Failure(fileName, TooLarge("the sweep file", bytes));
        }

        return new SweepParser(fileName, schema).Parse(text);
    }

    /// <summary>
    /// Reads a sweep or preset file as UTF-8 within <see cref="MaxFileBytes"/>; returns why it
    /// cannot, worded with <paramref name="what"/> (<c>the sweep file</c>), or null.
    /// </summary>
    internal static string? TryRead(string path, string what, out string text)
    {
        text = string.Empty;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return $"{what} does not exist";
        }

        if (info.Length > MaxFileBytes)
        {
            return TooLarge(what, info.Length);
        }

        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException ex)
        {
            return $"cannot read {what}: {ex.Message}";
        }
        catch (UnauthorizedAccessException ex)
        {
            return $"cannot read {what}: {ex.Message}";
        }

        // The length on disk was checked; a file that grew since is still refused.
        var bytes = Encoding.UTF8.GetByteCount(text);
        return bytes > MaxFileBytes ? TooLarge(what, bytes) : null;
    }

    private static string TooLarge(string what, long bytes) =>
        $"{what} is {bytes} bytes; the limit is {MaxFileBytes} bytes (1 MiB)";

    private static SweepLoadResult Failure(string file, string message) =>
        new(null, [new SweepError(file, 1, 1, string.Empty, message)]);
}
