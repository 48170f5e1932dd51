using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// One trial of an expanded sweep: a fully resolved config and its seed.
/// </summary>
/// <param name="Id">First 16 hex digits of SHA-256 of the canonical config without <c>name</c>.</param>
/// <param name="SweepName">The sweep's name.</param>
/// <param name="ConfigName">Row name plus the varied grid and random values, e.g. <c>no_skip_everywhere recon=0.05</c>.</param>
/// <param name="ConfigKey">The same hash without <c>name</c> and <c>seed</c>: equal for the seeds of one configuration.</param>
/// <param name="Seed">The config's top-level <c>seed</c>.</param>
/// <param name="Parameters">The keys the sweep varies (row overrides, grid, random), in that order,
/// with this trial's resolved value; a referenced schedule shows as its name. A trial whose row names a
/// preset has a <c>preset</c> entry first, holding the preset's name (not a config key).</param>
/// <param name="Expect">The row's expectation, or null.</param>
/// <param name="Config">The resolved config, <c>name</c> set to <paramref name="ConfigName"/>.</param>
/// <param name="Resources">What the trial needs from a slot.</param>
/// <param name="MaxAttempts">Attempts before the trial is failed.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="Order">Stable index in expansion order.</param>
/// <param name="Aliases">Config names of later combinations that resolved to this same trial.</param>
public sealed record TrialSpec(
    string Id,
    string SweepName,
    string ConfigName,
    string ConfigKey,
    long Seed,
    IReadOnlyDictionary<string, JsonNode?> Parameters,
    Expectation? Expect,
    JsonObject Config,
    ResourceRequest Resources,
    int MaxAttempts,
    int Priority,
    int Order,
    IReadOnlyList<string> Aliases)
{
    /// <summary>
    /// Set on a reference trial (a labelled level the configurations are judged against, not a matrix row of its
    /// own); null for the sweep's configurations.
    /// </summary>
    public SweepReference? Reference { get; init; }

    /// <summary>
    /// Whether the sweep's early stopping may stop this trial (and compares it with the others): false for a row that
    /// opted out (<c>early_stopping: false</c>) and for reference trials, which are levels, not candidates.
    /// </summary>
    public bool EarlyStopping { get; init; } = true;
}
