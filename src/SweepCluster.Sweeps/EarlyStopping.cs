namespace SweepCluster.Sweeps;

/// <summary>
/// The early-stopping rule a sweep runs under, resolved for one profile: the sweep's <c>early_stopping</c> block, the
/// profile's keys over it, and the defaults (the metric and goal from the objective).
/// </summary>
/// <param name="Rule">asha or median.</param>
/// <param name="Metric">The per-epoch metric judged (for example <c>eval.psnr_cross</c>).</param>
/// <param name="Goal">Whether higher or lower values are better.</param>
/// <param name="GraceEpochs">No configuration is stopped before this epoch; asha's first rung.</param>
/// <param name="ReductionFactor">asha: a configuration goes on past a rung only in the top 1/this of it.</param>
/// <param name="MinTrials">median: completed configurations that must have reported the epoch before any is judged.</param>
public sealed record EarlyStopping(
    EarlyStoppingRule Rule,
    string Metric,
    ObjectiveGoal Goal,
    int GraceEpochs,
    int ReductionFactor,
    int MinTrials)
{
    public const int DefaultGraceEpochs = 1;

    public const int DefaultReductionFactor = 3;

    public const int DefaultMinTrials = 3;

    /// <summary>The per-epoch metric that stands for an objective: the trainer reports <c>psnr_cross</c> as <c>eval.psnr_cross</c>.</summary>
    public static string EpochMetricOf(string objectiveMetric) =>
        objectiveMetric.Contains('.', StringComparison.Ordinal) ? objectiveMetric : "eval." + objectiveMetric;

    /// <summary>
    /// The rule for <paramref name="profile"/>'s block over <paramref name="sweep"/>'s, or null when neither has one (or
    /// the profile turns it off). The parser has checked that the result has a rule and a reported metric.
    /// </summary>
    public static EarlyStopping? Resolve(EarlyStoppingBlock? sweep, EarlyStoppingBlock? profile, SweepObjective? objective)
    {
        if (profile is { Off: true } || (sweep is null && profile is null))
        {
            return null;
        }

        var rule = profile?.Rule ?? sweep?.Rule;
        if (rule is null)
        {
            return null;
        }

        var metric = profile?.Metric ?? sweep?.Metric ?? EpochMetricOf(objective?.Metric ?? DefaultObjectiveMetric);
        var goal = profile?.Goal ?? sweep?.Goal ?? objective?.Goal ?? ObjectiveGoal.Maximize;
        return new EarlyStopping(
            rule.Value,
            metric,
            goal,
            profile?.GraceEpochs ?? sweep?.GraceEpochs ?? DefaultGraceEpochs,
            profile?.ReductionFactor ?? sweep?.ReductionFactor ?? DefaultReductionFactor,
            profile?.MinTrials ?? sweep?.MinTrials ?? DefaultMinTrials);
    }

    /// <summary>The objective a sweep without one is ranked by (the submission's default).</summary>
    public const string DefaultObjectiveMetric = "psnr_cross";
}
