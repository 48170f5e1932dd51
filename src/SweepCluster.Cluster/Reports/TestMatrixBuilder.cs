using System.Globalization;
using System.Text.Json;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Builds the test matrix from what the store holds. Pure: records in, model out, no I/O.
/// </summary>
/// <remarks>
/// Trials are grouped by <see cref="NewTrial.ConfigKey"/>; each group is one row, ordered by the
/// smallest sweep order index of its trials. Only succeeded trials feed the measured columns: each
/// scalar of the trainer's summary (<c>scalars</c> in docs/trial-protocol.md) becomes a mean and a
/// sample standard deviation (divisor n - 1) over the seeds that reported a finite value. The cross
/// loss counts as going down when a strict majority of the succeeded seeds say so (a tie is not a
/// majority). The verdict is <see cref="VerdictRule.Decide"/> of those aggregates.
/// </remarks>
public static class TestMatrixBuilder
{
    /// <summary>Builds the matrix of one sweep.</summary>
    /// <param name="metricPoints">Optional metric points per trial id, for the curves; trials without points get no curve.</param>
    /// <param name="rule">The verdict thresholds; <see cref="VerdictRule.Default"/> when null.</param>
    public static TestMatrix Build(
        SweepRecord sweep,
        IReadOnlyList<TrialRecord> trials,
        IReadOnlyDictionary<string, IReadOnlyList<MetricPointRecord>>? metricPoints = null,
        VerdictRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        rule ??= VerdictRule.Default;
        var warnings = new List<string>();
        var ordered = trials.OrderBy(t => t.Definition.OrderIndex).ThenBy(t => t.Definition.Id, StringComparer.Ordinal).ToList();
        var parameterKeys = new List<string>();
        var rows = new List<TestMatrixRow>();
        foreach (var group in ordered.GroupBy(t => t.Definition.ConfigKey, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var parameters = ReadParameters(members[0], warnings);
            foreach (var parameter in parameters.Where(p => !parameterKeys.Contains(p.Key, StringComparer.Ordinal)))
            {
                parameterKeys.Add(parameter.Key);
            }

            rows.Add(BuildRow(members, parameters, metricPoints, rule, warnings));
        }

        return new TestMatrix(sweep.Sweep.Id, sweep.Sweep.Name, sweep.Sweep.Question, sweep.Sweep.ObjectiveMetric, rule, parameterKeys,
            [.. rows.OrderBy(r => r.OrderIndex)], warnings);
    }

    private static TestMatrixRow BuildRow(
        List<TrialRecord> members,
        IReadOnlyList<MatrixParameter> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<MetricPointRecord>>? metricPoints,
        VerdictRule rule,
        List<string> warnings)
    {
        var first = members[0].Definition;
        var counts = Count(members);
        var succeeded = members.Where(t => t.Snapshot.State == TrialState.Succeeded).ToList();
        var scalars = succeeded.Select(t => (Trial: t, Scalars: ReadScalars(t, warnings))).ToList();

        MeasuredStat? Stat(string name)
        {
            var values = new List<double>();
            foreach (var (trial, map) in scalars)
            {
                if (!map.TryGetValue(name, out var value))
                {
                    continue;
                }

                if (double.IsFinite(value))
                {
                    values.Add(value);
                }
                else
                {
                    warnings.Add($"trial {trial.Definition.Id} ({first.ConfigName}, seed {trial.Definition.Seed}): {name} is {value.ToString(CultureInfo.InvariantCulture)}; left out of the mean");
                }
            }

            return MeasuredStat.Of(values);
        }

        var votes = scalars.Where(s => s.Scalars.ContainsKey(ReportMetricNames.CrossGoingDown)).Select(s => s.Scalars[ReportMetricNames.CrossGoingDown] >= 0.5).ToList();
        bool? goingDown = votes.Count == 0 ? null : votes.Count(v => v) * 2 > votes.Count;
        var gain = Stat(ReportMetricNames.PsnrGainCross);
        var leakage = Stat(ReportMetricNames.LeakageCross);
        var verdict = rule.Decide(gain?.Mean, leakage?.Mean, goingDown);
        var expected = VerdictRule.ParseExpected(first.ExpectedVerdict);
        bool? agrees = verdict is { } measured && expected is { } wanted ? measured == wanted : null;

        var state = counts.Succeeded == counts.Total
            ? RowState.Complete
            : counts.Pending + counts.Running > 0 ? RowState.InProgress : RowState.Incomplete;

        return new TestMatrixRow(
            ConfigKey: first.ConfigKey,
            ConfigName: first.ConfigName,
            OrderIndex: first.OrderIndex,
            Parameters: parameters,
            TrialIds: [.. members.Select(t => t.Definition.Id)],
            Seeds: [.. members.Select(t => t.Definition.Seed)],
            Counts: counts,
            State: state,
            Status: Describe(counts),
            CrossLossFinal: Stat(ReportMetricNames.CrossLossFinal),
            CrossSlope: Stat(ReportMetricNames.CrossSlope),
            CrossGoingDown: goingDown,
            GoingDownVotes: votes.Count(v => v),
            PsnrCross: Stat(ReportMetricNames.PsnrCross),
            SsimCross: Stat(ReportMetricNames.SsimCross),
            PsnrGainCross: gain,
            LeakageCross: leakage,
            LeakageRecon: Stat(ReportMetricNames.LeakageRecon),
            ZDistance: Stat(ReportMetricNames.ZDistance),
            Expect: first.Expect,
            ExpectedVerdict: first.ExpectedVerdict,
            Verdict: verdict,
            AgreesWithExpected: agrees,
            CrossLossCurves: Curves(members, metricPoints, CrossLossPerEpoch),
            PsnrCurves: Curves(members, metricPoints, CrossPsnrPerEvaluation));
    }

    private static TrialCounts Count(List<TrialRecord> members)
    {
        int Of(params TrialState[] states) => members.Count(t => states.Contains(t.Snapshot.State));
        return new TrialCounts(members.Count, Of(TrialState.Succeeded), Of(TrialState.Pending), Of(TrialState.Leased, TrialState.Running),
            Of(TrialState.Failed), Of(TrialState.Cancelled));
    }

    private static string Describe(TrialCounts counts)
    {
        if (counts.Succeeded == counts.Total)
        {
            return "complete";
        }

        var parts = new List<string>();
        void Add(int count, string word)
        {
            if (count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{count} {word}"));
            }
        }

        Add(counts.Pending, "pending");
        Add(counts.Running, "running");
        Add(counts.Failed, "failed");
        Add(counts.Cancelled, "cancelled");
        return string.Create(CultureInfo.InvariantCulture, $"{counts.Succeeded}/{counts.Total} succeeded; {string.Join(", ", parts)}");
    }

    private static List<MatrixParameter> ReadParameters(TrialRecord trial, List<string> warnings)
    {
        try
        {
            using var document = JsonDocument.Parse(trial.Definition.ParametersJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                warnings.Add($"trial {trial.Definition.Id}: parameters are not a JSON object; shown without parameters");
                return [];
            }

            return [.. document.RootElement.EnumerateObject().Select(p => new MatrixParameter(p.Name, ValueText(p.Value)))];
        }
        catch (JsonException error)
        {
            warnings.Add($"trial {trial.Definition.Id}: parameters are not valid JSON ({error.Message}); shown without parameters");
            return [];
        }
    }

    private static string ValueText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    /// <summary>The numeric <c>scalars</c> of a succeeded trial's summary; booleans count as 1 and 0.</summary>
    private static Dictionary<string, double> ReadScalars(TrialRecord trial, List<string> warnings)
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var json = trial.Snapshot.SummaryJson;
        if (string.IsNullOrWhiteSpace(json))
        {
            warnings.Add($"trial {trial.Definition.Id}: succeeded without a summary");
            return scalars;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("scalars", out var values)
                || values.ValueKind != JsonValueKind.Object)
            {
                warnings.Add($"trial {trial.Definition.Id}: summary has no \"scalars\" object");
                return scalars;
            }

            foreach (var property in values.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Number:
                        scalars[property.Name] = property.Value.GetDouble();
                        break;
                    case JsonValueKind.True:
                        scalars[property.Name] = 1;
                        break;
                    case JsonValueKind.False:
                        scalars[property.Name] = 0;
                        break;
                    case JsonValueKind.String when double.TryParse(property.Value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                        // Non-finite values ("NaN", "Infinity") can only travel as strings in JSON.
                        scalars[property.Name] = parsed;
                        break;
                    default:
                        break;
                }
            }
        }
        catch (JsonException error)
        {
            warnings.Add($"trial {trial.Definition.Id}: summary is not valid JSON ({error.Message})");
        }

        return scalars;
    }

    private static List<CurveSeries> Curves(
        List<TrialRecord> members,
        IReadOnlyDictionary<string, IReadOnlyList<MetricPointRecord>>? metricPoints,
        Func<IReadOnlyList<MetricPointRecord>, List<CurvePoint>> curve)
    {
        var series = new List<CurveSeries>();
        if (metricPoints is null)
        {
            return series;
        }

        foreach (var trial in members)
        {
            if (metricPoints.TryGetValue(trial.Definition.Id, out var points))
            {
                var line = curve(points);
                if (line.Count > 0)
                {
                    series.Add(new CurveSeries(trial.Definition.Id, trial.Definition.Seed, line));
                }
            }
        }

        return series;
    }

    /// <summary>
    /// A resumed trial reports some steps again from its next attempt; the latest attempt's value of
    /// each step is the one that counts. Non-finite values are not plotted.
    /// </summary>
    private static List<MetricPoint> Latest(IReadOnlyList<MetricPointRecord> points, string name) =>
        [.. points.Where(p => string.Equals(p.Point.Name, name, StringComparison.Ordinal))
            .GroupBy(p => p.Point.Step)
            .Select(g => g.MaxBy(p => p.Attempt)!.Point)
            .Where(p => double.IsFinite(p.Value))
            .OrderBy(p => p.Step)];

    /// <summary>
    /// Epoch points (kind <c>epoch</c>) when the trainer reported them; otherwise the mean of the step
    /// points of each epoch; otherwise the step points themselves against their step.
    /// </summary>
    private static List<CurvePoint> CrossLossPerEpoch(IReadOnlyList<MetricPointRecord> points)
    {
        var loss = Latest(points, ReportMetricNames.CrossLossPoint);
        var perEpoch = loss.Where(p => string.Equals(p.Kind, "epoch", StringComparison.Ordinal) && p.Epoch is not null).ToList();
        if (perEpoch.Count > 0)
        {
            return [.. perEpoch.GroupBy(p => p.Epoch!.Value).OrderBy(g => g.Key).Select(g => new CurvePoint(g.Key, g.Last().Value))];
        }

        if (loss.Count > 0 && loss.All(p => p.Epoch is not null))
        {
            return [.. loss.GroupBy(p => p.Epoch!.Value).OrderBy(g => g.Key).Select(g => new CurvePoint(g.Key, g.Average(p => p.Value)))];
        }

        return [.. loss.Select(p => new CurvePoint(p.Step, p.Value))];
    }

    /// <summary>Mean of the cross outputs' PSNR at each evaluation step.</summary>
    private static List<CurvePoint> CrossPsnrPerEvaluation(IReadOnlyList<MetricPointRecord> points) =>
        [.. ReportMetricNames.CrossPsnrPoints
            .SelectMany(name => Latest(points, name))
            .GroupBy(p => p.Step)
            .OrderBy(g => g.Key)
            .Select(g => new CurvePoint(g.Key, g.Average(p => p.Value)))];
}
