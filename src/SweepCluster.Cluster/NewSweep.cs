namespace SweepCluster.Cluster;

/// <summary>
/// A sweep as the caller submits it. The id is a content hash computed by the caller, so
/// submitting the same sweep file twice names the same sweep.
/// </summary>
/// <param name="Id">Content hash of the sweep, chosen by the caller.</param>
/// <param name="Question">The question the sweep's test matrix answers.</param>
/// <param name="ObjectiveMetric">Name of the metric the verdicts are judged on (for example <c>psnr</c>).</param>
/// <param name="SweepText">The sweep file as submitted, kept verbatim for reproducibility.</param>
[GenerateSerializer]
[Alias("sweepcluster.new-sweep")]
public sealed record NewSweep(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Description,
    [property: Id(3)] string Question,
    [property: Id(4)] string ObjectiveMetric,
    [property: Id(5)] ObjectiveGoal ObjectiveGoal,
    [property: Id(6)] string SweepText,
    [property: Id(7)] DateTimeOffset CreatedAt)
{
    /// <summary>The sweep's early-stopping rule (its file's <c>early_stopping</c>, resolved for the profile); null: every trial runs to the end.</summary>
    [Id(8)]
    public EarlyStopping.StoppingPolicy? EarlyStopping { get; init; }
}
