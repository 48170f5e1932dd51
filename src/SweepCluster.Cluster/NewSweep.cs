namespace SweepCluster.Cluster;

/// <summary>
/// A sweep as the caller submits it. The id is a content hash computed by the caller, so
/// submitting the same sweep file twice names the same sweep.
/// </summary>
/// <param name="Id">Content hash of the sweep, chosen by the caller.</param>
/// <param name="Question">The question the sweep's test matrix answers.</param>
/// <param name="ObjectiveMetric">Name of the metric the verdicts are judged on (for example <c>psnr</c>).</param>
/// <param name="SweepText">The sweep file as submitted, kept verbatim for reproducibility.</param>
public sealed record NewSweep(
    string Id,
    string Name,
    string Description,
    string Question,
    string ObjectiveMetric,
    ObjectiveGoal ObjectiveGoal,
    string SweepText,
    DateTimeOffset CreatedAt);
