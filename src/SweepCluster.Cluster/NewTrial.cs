namespace SweepCluster.Cluster;

/// <summary>One fully resolved trial of a sweep, as the caller submits it.</summary>
/// <param name="Id">Content hash of the trial's configuration and seed, chosen by the caller.</param>
/// <param name="ConfigKey">Groups the seeds of one configuration into one row of the test matrix.</param>
/// <param name="ParametersJson">JSON object of the varied keys, in the sweep's order.</param>
/// <param name="Expect">What the sweep's author expects of this configuration, in words.</param>
/// <param name="ExpectedVerdict">An optional machine-readable expectation (for example <c>better</c>).</param>
/// <param name="ConfigJson">The complete trial configuration handed to the trainer.</param>
/// <param name="MaxAttempts">How many attempts (first run included) the trial may use before it fails.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="OrderIndex">Position in the sweep; breaks ties between trials submitted together.</param>
public sealed record NewTrial(
    string Id,
    string ConfigName,
    string ConfigKey,
    long Seed,
    string ParametersJson,
    string Expect,
    string? ExpectedVerdict,
    string ConfigJson,
    ResourceRequest Resources,
    int MaxAttempts,
    int Priority,
    int OrderIndex);
