using YamlDotNet.RepresentationModel;

namespace SweepCluster.Sweeps;

/// <summary>The <c>early_stopping</c> blocks: at the top, in a profile, and a row's <c>early_stopping: false</c>.</summary>
internal sealed partial class SweepParser
{
    private static readonly string[] EarlyStoppingKeys = ["rule", "metric", "goal", "grace_epochs", "reduction_factor", "min_trials"];

    private static readonly Dictionary<string, EarlyStoppingRule> Rules = new(StringComparer.Ordinal)
    {
        ["asha"] = EarlyStoppingRule.Asha,
        ["median"] = EarlyStoppingRule.Median,
    };

    /// <summary>A profile's <c>early_stopping</c>: a block of keys over the sweep's, or <c>false</c>.</summary>
    private EarlyStoppingBlock? ParseProfileEarlyStopping(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && ScalarToJson(scalar) is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<bool>(out var flag))
        {
            if (flag)
            {
                Error(node, path, "`early_stopping: true` says nothing: write the block of keys the profile changes, or `false` to turn early stopping off under this profile");
                return null;
            }

            return new EarlyStoppingBlock { Off = true, Location = Loc(node) };
        }

        return ParseEarlyStopping(node, path, inProfile: true);
    }

    /// <summary>A row's <c>early_stopping</c>: only <c>false</c> (opt out) means anything; <c>true</c> is the default.</summary>
    private bool ParseRowEarlyStopping(YamlNode node, string path)
    {
        if (node is YamlMappingNode)
        {
            Error(node, path, "a matrix row can only opt out of the sweep's early stopping (`early_stopping: false`); the rule is set at the top of the sweep or in a profile");
            return true;
        }

        return ReadBool(node, path) ?? true;
    }

    private EarlyStoppingBlock? ParseEarlyStopping(YamlNode node, string path, bool inProfile)
    {
        var entries = Entries(node, path, EarlyStoppingKeys, "an early_stopping block");
        if (entries is null)
        {
            return null;
        }

        if (!inProfile && !entries.Any(e => e.Key == "rule"))
        {
            Error(node, path, "missing key `rule` (asha or median)");
        }

        EarlyStoppingRule? rule = null;
        string? metric = null;
        ObjectiveGoal? goal = null;
        int? grace = null;
        int? reduction = null;
        int? minTrials = null;
        foreach (var (key, _, value) in entries)
        {
            var entryPath = Join(path, key);
            switch (key)
            {
                case "rule":
                    rule = ReadEnum(value, entryPath, Rules);
                    break;
                case "metric":
                    metric = ReadText(value, entryPath);
                    if (metric is not null && _schema.EpochMetrics is { } reported && !reported.Contains(metric, StringComparer.Ordinal))
                    {
                        Error(value, entryPath, UnreportedMetric(metric, reported));
                        metric = null;
                    }

                    break;
                case "goal":
                    goal = ReadEnum(value, entryPath, Goals);
                    break;
                case "grace_epochs":
                    grace = (int?)ReadInteger(value, entryPath, 1);
                    break;
                case "reduction_factor":
                    reduction = (int?)ReadInteger(value, entryPath, 2);
                    break;
                default:
                    minTrials = (int?)ReadInteger(value, entryPath, 1);
                    break;
            }
        }

        return new EarlyStoppingBlock
        {
            Rule = rule,
            Metric = metric,
            Goal = goal,
            GraceEpochs = grace,
            ReductionFactor = reduction,
            MinTrials = minTrials,
            Location = Loc(node),
        };
    }

    /// <summary>
    /// What needs the whole file: a profile's block needs a rule from somewhere, and a block that names no metric judges
    /// the objective's per-epoch metric, which the trainer must report.
    /// </summary>
    private void CheckEarlyStopping(EarlyStoppingBlock? sweep, IReadOnlyList<SweepProfile> profiles, SweepObjective? objective)
    {
        if (sweep is not null)
        {
            CheckDefaultMetric(sweep, "early_stopping", objective);
        }

        foreach (var profile in profiles)
        {
            if (profile.EarlyStopping is not { Off: false } block)
            {
                continue;
            }

            var path = Join(Join("profiles", profile.Name), "early_stopping");
            if (block.Rule is null && sweep?.Rule is null)
            {
                Error(block.Location, path, "missing key `rule` (asha or median): the sweep has no `early_stopping` block for this profile's keys to change");
                continue;
            }

            if (sweep?.Metric is null)
            {
                CheckDefaultMetric(block, path, objective);
            }
        }
    }

    private void CheckDefaultMetric(EarlyStoppingBlock block, string path, SweepObjective? objective)
    {
        if (block.Metric is not null || _schema.EpochMetrics is not { } reported)
        {
            return;
        }

        var objectiveMetric = objective?.Metric ?? EarlyStopping.DefaultObjectiveMetric;
        var metric = EarlyStopping.EpochMetricOf(objectiveMetric);
        if (!reported.Contains(metric, StringComparer.Ordinal))
        {
            Error(block.Location, Join(path, "metric"),
                $"the objective `{objectiveMetric}` is not reported every epoch (as `{metric}`), so early stopping cannot follow it; name a `metric` the trainer reports every epoch{Suggestions.DidYouMean(metric, reported)} (reported: {string.Join(", ", reported)})");
        }
    }

    private static string UnreportedMetric(string metric, IReadOnlyList<string> reported) =>
        $"the trainer does not report `{metric}` every epoch{Suggestions.DidYouMean(metric, reported)} (reported: {string.Join(", ", reported)})";
}
