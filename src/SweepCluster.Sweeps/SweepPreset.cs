namespace SweepCluster.Sweeps;

/// <summary>
/// A preset: an override map kept in a file of its own so several sweeps can start from the same
/// settings (for example those that reproduce a published implementation) without copying them.
/// </summary>
/// <param name="Name">The file name without its extension (<c>repo</c> for <c>presets/repo.yaml</c>); a row
/// that names a preset shows it as its <c>preset</c> parameter.</param>
/// <param name="Path">The preset file's full path, as resolved against the sweep file's folder.</param>
/// <param name="Description">The preset's own <c>description</c>, or null.</param>
/// <param name="Overrides">The preset's overrides; their locations are in the preset file.</param>
/// <param name="Location">Where the sweep file names the preset.</param>
public sealed record SweepPreset(
    string Name,
    string Path,
    string? Description,
    IReadOnlyList<ConfigOverride> Overrides,
    SourceLocation Location);
