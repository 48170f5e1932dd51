using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// A named set of size and budget changes (<c>cpu</c>, <c>gpu</c>) selected at expansion.
/// Null members leave the sweep's own setting alone.
/// </summary>
/// <param name="Name">The profile name.</param>
/// <param name="Overrides">Applied after the base, before the rows.</param>
/// <param name="Seeds">Replaces the sweep's seeds.</param>
/// <param name="Resources">Replaces the sweep's resource request.</param>
/// <param name="MaxAttempts">Replaces the sweep's attempt limit.</param>
/// <param name="Priority">Replaces the sweep's priority.</param>
/// <param name="Grid">Axes that replace the sweep's axes of the same name (values and condition).</param>
/// <param name="Schedules">Schedules that replace the sweep's schedules of the same name.</param>
/// <param name="Location">Where the profile is declared.</param>
public sealed record SweepProfile(
    string Name,
    IReadOnlyList<ConfigOverride> Overrides,
    IReadOnlyList<long>? Seeds,
    ResourceRequest? Resources,
    int? MaxAttempts,
    int? Priority,
    IReadOnlyList<GridAxis> Grid,
    IReadOnlyDictionary<string, JsonArray> Schedules,
    SourceLocation Location)
{
    /// <summary>The profile's <c>early_stopping</c> keys over the sweep's, or <c>false</c> (<see cref="EarlyStoppingBlock.Off"/>); null when it sets none.</summary>
    public EarlyStoppingBlock? EarlyStopping { get; init; }
}
