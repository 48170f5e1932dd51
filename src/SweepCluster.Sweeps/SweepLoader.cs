using System.Text;

namespace SweepCluster.Sweeps;

/// <summary>
/// Reads and validates sweep files. Pure apart from <see cref="Load"/> reading the file;
/// reports every problem of a file at once rather than stopping at the first.
/// </summary>
public static class SweepLoader
{
    /// <summary>Sweep files larger than this are refused before they are parsed.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Reads <paramref name="path"/> and validates it against <paramref name="schema"/>.</summary>
    public static SweepLoadResult Load(string path, ITrialConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(schema);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Failure(path, "the sweep file does not exist");
        }

        if (info.Length > MaxFileBytes)
        {
            return Failure(path, TooLarge(info.Length));
        }

        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (IOException ex)
        {
            return Failure(path, $"cannot read the sweep file: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return Failure(path, $"cannot read the sweep file: {ex.Message}");
        }

        return Parse(text, path, schema);
    }

    /// <summary>Validates sweep text; <paramref name="fileName"/> names it in errors.</summary>
    public static SweepLoadResult Parse(string text, string fileName, ITrialConfigSchema schema)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(schema);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxFileBytes)
        {
            return Failure(fileName, TooLarge(bytes));
        }

        return new SweepParser(fileName, schema).Parse(text);
    }

    private static string TooLarge(long bytes) =>
        $"the sweep file is {bytes} bytes; the limit is {MaxFileBytes} bytes (1 MiB)";

    private static SweepLoadResult Failure(string file, string message) =>
        new(null, [new SweepError(file, 1, 1, string.Empty, message)]);
}
