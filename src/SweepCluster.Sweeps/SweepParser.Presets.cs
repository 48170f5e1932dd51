using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps;

/// <summary>
/// Presets: override maps in files of their own that a sweep (top-level <c>preset</c>) and its rows
/// (a row's <c>preset</c>) name by a path relative to the sweep file's folder.
/// </summary>
internal sealed partial class SweepParser
{
    private static readonly string[] PresetKeys = ["description", "overrides"];

    /// <summary>Each preset file is read and checked once per sweep, however many rows name it.</summary>
    private readonly Dictionary<string, PresetFile> _presetFiles = new(StringComparer.Ordinal);

    /// <summary>Problems inside preset files, located there; kept apart so they follow the sweep's own, file by file.</summary>
    private readonly List<SweepError> _presetErrors = [];

    /// <summary>
    /// A preset file as read for this sweep: why it could not be read (reported at every place that
    /// names it), or its content; null overrides when the file has problems (reported once).
    /// </summary>
    private sealed record PresetFile(string? ReadProblem, string? Description, IReadOnlyList<ConfigOverride>? Overrides);

    /// <summary>The value of a <c>preset</c> key: a path, resolved and loaded as a preset file.</summary>
    private SweepPreset? ParsePresetReference(YamlNode node, string path)
    {
        var relative = ReadText(node, path);
        if (relative is null)
        {
            return null;
        }

        if (relative.Trim().Length == 0)
        {
            Error(node, path, "a preset path must not be blank");
            return null;
        }

        string full;
        try
        {
            // Relative to the sweep file, not to the process, so a sweep finds its presets from any folder.
            var folder = Path.GetDirectoryName(Path.GetFullPath(_file)) ?? string.Empty;
            full = Path.GetFullPath(Path.Combine(folder, relative));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            Error(node, path, $"`{relative}` is not a usable file path: {ex.Message}");
            return null;
        }

        if (!_presetFiles.TryGetValue(full, out var file))
        {
            file = ReadPresetFile(full);
            _presetFiles[full] = file;
        }

        if (file.ReadProblem is not null)
        {
            Error(node, path, file.ReadProblem);
            return null;
        }

        return file.Overrides is null
            ? null
            : new SweepPreset(Path.GetFileNameWithoutExtension(full), full, file.Description, file.Overrides, Loc(node));
    }

    private PresetFile ReadPresetFile(string full)
    {
        var problem = SweepLoader.TryRead(full, $"the preset file `{full}`", out var text);
        if (problem is not null)
        {
            return new PresetFile(problem, null, null);
        }

        // A parser of its own, so positions name the preset file; it sees the sweep's schedule names
        // because a preset's `trainer.schedule` may name one, as any override may.
        var parser = new SweepParser(full, _schema, _scheduleNames, isPreset: true);
        var (description, overrides) = parser.ParsePresetText(text);
        _presetErrors.AddRange(parser.SortedErrors());
        return new PresetFile(null, description, parser._errors.Count == 0 ? overrides : null);
    }

    /// <summary>A preset file's text: a mapping with <c>overrides</c> and an optional <c>description</c>.</summary>
    private (string? Description, List<ConfigOverride> Overrides) ParsePresetText(string text)
    {
        var overrides = new List<ConfigOverride>();
        var root = LoadRoot(text);
        var entries = root is null ? null : Entries(root, string.Empty, allowed: null, "a preset");
        if (root is null || entries is null)
        {
            return (null, overrides);
        }

        Require(root, entries, string.Empty, "overrides");
        string? description = null;
        foreach (var (key, keyNode, value) in entries)
        {
            switch (key)
            {
                case "overrides":
                    ParseOverrideMap(value, key, string.Empty, overrides);
                    break;
                case "description":
                    description = ReadText(value, key);
                    break;
                case "preset":
                    Error(keyNode, key, $"a preset cannot name another preset; copy its overrides here (valid keys: {string.Join(", ", PresetKeys)})");
                    break;
                default:
                    Error(keyNode, key, $"unknown key `{key}`{Suggestions.DidYouMean(key, PresetKeys)} (valid keys: {string.Join(", ", PresetKeys)})");
                    break;
            }
        }

        return (description, overrides);
    }
}
