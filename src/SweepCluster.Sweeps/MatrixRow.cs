namespace SweepCluster.Sweeps;

/// <summary>
/// One named row of a sweep's test matrix.
/// </summary>
/// <param name="Name">The row's name, the first part of its trials' config names.</param>
/// <param name="Overrides">Applied after the base, the profile and the row's <see cref="Preset"/>.</param>
/// <param name="ProfileOverrides">Per profile name, applied right after <paramref name="Overrides"/>
/// when that profile is selected (for sizes that scale with the profile).</param>
/// <param name="Schedule">A schedule name of the sweep, written to <c>trainer.schedule</c>.</param>
/// <param name="Expect">What the row is expected to show, or null.</param>
/// <param name="When">The row's trials are kept only where this holds for the resolved config.</param>
/// <param name="Location">Where the row starts in the file.</param>
public sealed record MatrixRow(
    string Name,
    IReadOnlyList<ConfigOverride> Overrides,
    IReadOnlyDictionary<string, IReadOnlyList<ConfigOverride>> ProfileOverrides,
    ConfigOverride? Schedule,
    Expectation? Expect,
    Condition? When,
    SourceLocation Location)
{
    /// <summary>The row's <c>preset</c>, applied after the profile's overrides and before <see cref="Overrides"/>; null when none.</summary>
    public SweepPreset? Preset { get; init; }

    /// <summary>
    /// False for a row that opts out of the sweep's early stopping (<c>early_stopping: false</c>): its configurations
    /// are always measured in full and are not compared with the others.
    /// </summary>
    public bool EarlyStopping { get; init; } = true;
}
