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
[GenerateSerializer]
[Alias("sweepcluster.new-trial")]
public sealed record NewTrial(
    [property: Id(0)] string Id,
    [property: Id(1)] string ConfigName,
    [property: Id(2)] string ConfigKey,
    [property: Id(3)] long Seed,
    [property: Id(4)] string ParametersJson,
    [property: Id(5)] string Expect,
    [property: Id(6)] string? ExpectedVerdict,
    [property: Id(7)] string ConfigJson,
    [property: Id(8)] ResourceRequest Resources,
    [property: Id(9)] int MaxAttempts,
    [property: Id(10)] int Priority,
    [property: Id(11)] int OrderIndex)
{
    /// <summary>Whether the sweep's early stopping judges this trial: false for a row that opted out and for reference trials.</summary>
    [Id(12)]
    public bool EarlyStopping { get; init; } = true;
}
