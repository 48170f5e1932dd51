using System.Globalization;
using System.Text.Json;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Builds the test matrix from what the store holds. Pure: records in, model out, no I/O.
/// </summary>
/// <remarks>
/// Only the trials the sweep's current revision lists count: a trial a revision removed
/// (<see cref="TrialSnapshot.RemovedInRevision"/>) is left out, finished or not. Trials are grouped by <see cref="NewTrial.ConfigKey"/>; each group is one row, ordered by the
/// smallest sweep order index of its trials. Only succeeded trials feed the measured columns: each
/// scalar of the trainer's summary (<c>scalars</c> in docs/trial-protocol.md) becomes a mean and a
/// sample standard deviation (divisor n - 1) over the seeds that reported a finite value. The cross
/// loss counts as going down (or below its floor) when a strict majority of the succeeded seeds say so
/// (a tie is not a majority). Each failed trial is named in its row's note with its last attempt's error on
/// one line (<c>seed 3 failed: diverged at step 12 (loss.cross = NaN)</c>).
/// <para>
/// A trial whose configuration has <c>trainer.mode: supervised_cross</c> is a reference trial: its group
/// becomes the supervised cross reference row (in <see cref="TestMatrix.References"/>), and sets the ceiling of the
/// fraction of the gap closed (F) of every configuration. The noisy input and classical reference rows
/// come from the <c>psnr_noisy</c>/<c>psnr_classical</c> scalars that every trial measures on the same
/// validation images, over all succeeded trials of the sweep. The verdict is
/// <see cref="VerdictRule.DecideRelative"/> with a usable supervised reference, else
/// <see cref="VerdictRule.Decide"/>; <see cref="TestMatrix.VerdictBasis"/> says which.
/// </para>
/// </remarks>
public static class TestMatrixBuilder
{
    private const string SupervisedCrossMode = "supervised_cross";

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
        // Trials the sweep's current revision no longer lists stay stored, but are not part of its question.
        var ordered = trials.Where(t => t.Snapshot.RemovedInRevision is null).OrderBy(t => t.Definition.OrderIndex).ThenBy(t => t.Definition.Id, StringComparer.Ordinal).ToList();
        var parameterKeys = new List<string>();
        var rows = new List<TestMatrixRow>();
        var referenceRows = new List<TestMatrixRow>();
        foreach (var group in ordered.GroupBy(t => t.Definition.ConfigKey, StringComparer.Ordinal))
        {
            var members = group.ToList();
            var parameters = ReadParameters(members[0], warnings);
            if (IsSupervisedCross(members[0]))
            {
                var referenceRow = BuildRow(members, parameters, metricPoints, warnings);
                referenceRows.Add(referenceRow with
                {
                    Kind = RowKind.SupervisedCross,
                    GapClosed = 1,
                    Note = JoinNotes("trained against the other contrast's clean image (the ceiling of the cross output)", referenceRow.Note),
                });
                continue;
            }

            foreach (var parameter in parameters.Where(p => !parameterKeys.Contains(p.Key, StringComparer.Ordinal)))
            {
                parameterKeys.Add(parameter.Key);
            }

            rows.Add(BuildRow(members, parameters, metricPoints, warnings));
        }

        // The ceiling: the supervised cross reference's PSNR gain over the noisy input on the same images.
        var reference = referenceRows.FirstOrDefault(r => r.N > 0);
        double? ceiling = reference?.PsnrCross is { } refPsnr && reference.PsnrNoisy is { } refNoisy ? refPsnr.Mean - refNoisy.Mean : null;
        string basis;
        var relative = ceiling > 0;
        if (relative)
        {
            basis = string.Create(CultureInfo.InvariantCulture,
                $"Verdicts are relative to the references: F uses the supervised cross reference's PSNR gain over the noisy input, {ceiling:0.00} dB.");
        }
        else
        {
            basis = reference is null
                ? "No supervised cross reference in this sweep (or none succeeded yet): verdicts use the fallback rule on the absolute PSNR gain."
                : string.Create(CultureInfo.InvariantCulture,
                    $"The supervised cross reference does not beat the noisy input (gain {ceiling:0.00} dB), so F has no scale: verdicts use the fallback rule on the absolute PSNR gain.");
        }

        if (reference is not null && LastQuarterChange(reference.PsnrCurves) is { } change)
        {
            var moved = change.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);
            basis += Math.Abs(change) < ConvergedWithinDb
                ? $" Its PSNR changed by {moved} dB over the last quarter of its training: converged (within {ConvergedWithinDb.ToString(CultureInfo.InvariantCulture)} dB)."
                : $" Its PSNR changed by {moved} dB over the last quarter of its training: not converged, so the ceiling is low and F overstates every configuration; a fail still stands, a pass needs a longer run.";
        }

        var judged = rows.OrderBy(r => r.OrderIndex).Select(r => Judge(r, rule, relative ? ceiling : null)).ToList();
        var succeeded = ordered.Where(t => t.Snapshot.State == TrialState.Succeeded).ToList();
        var allScalars = succeeded.Select(t => (Trial: t, Scalars: ReadScalars(t, null))).ToList();
        if (NoisyInputRow(allScalars) is { } noisy)
        {
            referenceRows.Insert(0, noisy);
        }

        if (ClassicalRow(allScalars, ceiling > 0 ? ceiling : null) is { } classical)
        {
            referenceRows.Insert(referenceRows.Count > 0 && referenceRows[0].Kind == RowKind.NoisyInput ? 1 : 0, classical);
        }

        return new TestMatrix(sweep.Sweep.Id, sweep.Sweep.Name, sweep.Sweep.Question, sweep.Sweep.ObjectiveMetric, rule, parameterKeys,
            judged, warnings, basis, relative, referenceRows);
    }

    /// <summary>A reference whose PSNR moves less than this over the last quarter of its training counts as converged.</summary>
    public const double ConvergedWithinDb = 0.1;

    /// <summary>
    /// The mean over seeds of a PSNR curve's last value minus its value at three quarters of the last step (the last
    /// evaluation at or before it); null without a curve of at least two points.
    /// </summary>
    public static double? LastQuarterChange(IReadOnlyList<CurveSeries> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var changes = new List<double>();
        foreach (var curve in curves.Where(c => c.Points.Count >= 2))
        {
            var last = curve.Points[^1];
            var threeQuarters = curve.Points.LastOrDefault(p => p.X <= 0.75 * last.X && p.X < last.X) ?? curve.Points[0];
            changes.Add(last.Y - threeQuarters.Y);
        }

        return changes.Count == 0 ? null : changes.Average();
    }

    /// <summary>Sets F, the verdict, the agreement and the note of a configuration row.</summary>
    private static TestMatrixRow Judge(TestMatrixRow row, VerdictRule rule, double? ceiling)
    {
        if (row.State == RowState.Pruned)
        {
            // Stopped before it was measured in full: its numbers are not a result, so it gets no verdict.
            return row with { Verdict = null, AgreesWithExpected = null, Note = JoinNotes(row.Note, row.StopReason ?? "pruned") };
        }

        double? gapClosed = ceiling is { } c && row.PsnrCross is { } psnr && row.PsnrNoisy is { } noisy ? (psnr.Mean - noisy.Mean) / c : null;
        var verdict = ceiling is null
            ? rule.Decide(row.PsnrGainCross?.Mean, row.LeakageCross?.Mean, row.CrossGoingDown)
            : rule.DecideRelative(gapClosed, row.LeakageCross?.Mean, row.CrossGoingDown, row.CrossBelowFloor);
        var expected = VerdictRule.ParseExpected(row.ExpectedVerdict);
        bool? agrees = verdict is { } measured && expected is { } wanted ? measured == wanted : null;
        var belowFloor = row.CrossBelowFloor == true && row.CrossLossFinal is { } loss && row.NoiseFloorCross is { } floor
            ? string.Create(CultureInfo.InvariantCulture,
                $"copies the target's noise: cross loss {loss.Mean:G3} below its floor {floor.Mean:G3} ({row.BelowFloorVotes}/{row.N} seeds)")
            : string.Empty;
        // The row's failures (from BuildRow) come first: a reader must know about them before reading any number.
        return row with { GapClosed = gapClosed, Verdict = verdict, AgreesWithExpected = agrees, Note = JoinNotes(row.Note, belowFloor) };
    }

    private static TestMatrixRow BuildRow(
        List<TrialRecord> members,
        IReadOnlyList<MatrixParameter> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<MetricPointRecord>>? metricPoints,
        List<string> warnings)
    {
        var first = members[0].Definition;
        var counts = Count(members);
        var succeeded = members.Where(t => t.Snapshot.State == TrialState.Succeeded).ToList();
        var scalars = succeeded.Select(t => (Trial: t, Scalars: ReadScalars(t, warnings))).ToList();
        MeasuredStat? Stat(string name) => Aggregate(scalars, name, first.ConfigName, warnings);
        List<bool> Votes(string name) => [.. scalars.Where(s => s.Scalars.ContainsKey(name)).Select(s => s.Scalars[name] >= 0.5)];
        bool? Majority(List<bool> votes) => votes.Count == 0 ? null : votes.Count(v => v) * 2 > votes.Count;

        var goingDown = Votes(ReportMetricNames.CrossGoingDown);
        var belowFloor = Votes(ReportMetricNames.CrossBelowFloor);
        var state = counts.Succeeded == counts.Total
            ? RowState.Complete
            : counts.Pending + counts.Running > 0 ? RowState.InProgress
            : counts.Pruned > 0 ? RowState.Pruned : RowState.Incomplete;
        var psnrCurves = Curves(members, metricPoints, CrossPsnrPerEvaluation);
        var epochReached = metricPoints is null
            ? null
            : members.SelectMany(t => metricPoints.TryGetValue(t.Definition.Id, out var p) ? p : []).Max(p => p.Point.Epoch);
        double? lastPsnr = psnrCurves.Count == 0 ? null : psnrCurves.Average(c => c.Points[^1].Y);
        var stopReason = members.Select(t => t.Snapshot.StopReason).FirstOrDefault(r => r is not null);

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
            CrossGoingDown: Majority(goingDown),
            GoingDownVotes: goingDown.Count(v => v),
            PsnrCross: Stat(ReportMetricNames.PsnrCross),
            SsimCross: Stat(ReportMetricNames.SsimCross),
            PsnrGainCross: Stat(ReportMetricNames.PsnrGainCross),
            LeakageCross: Stat(ReportMetricNames.LeakageCross),
            LeakageRecon: Stat(ReportMetricNames.LeakageRecon),
            ZDistance: Stat(ReportMetricNames.ZDistance),
            Expect: first.Expect,
            ExpectedVerdict: first.ExpectedVerdict,
            Verdict: null,
            AgreesWithExpected: null,
            CrossLossCurves: Curves(members, metricPoints, CrossLossPerEpoch),
            PsnrCurves: psnrCurves,
            PsnrNoisy: Stat(ReportMetricNames.PsnrNoisy),
            NoiseFloorCross: Stat(ReportMetricNames.NoiseFloorCross),
            CrossExcessFinal: Stat(ReportMetricNames.CrossExcessFinal),
            CrossExcessRelDecrease: Stat(ReportMetricNames.CrossExcessRelDecrease),
            CrossExcessRelDecreaseErr: Stat(ReportMetricNames.CrossExcessRelDecreaseErr),
            CrossBelowFloor: Majority(belowFloor),
            BelowFloorVotes: belowFloor.Count(v => v),
            Note: string.Join("; ", members.Where(t => t.Snapshot.State == TrialState.Failed).Select(Failure)))
        {
            StopReason = stopReason,
            EpochReached = epochReached,
            LastPsnrCross = lastPsnr,
            Status = state == RowState.Pruned ? Pruned(counts, epochReached, lastPsnr) : Describe(counts),
        };
    }

    /// <summary>A pruned row's status: <c>pruned at epoch 3 (last psnr_cross 21.30)</c>.</summary>
    private static string Pruned(TrialCounts counts, int? epoch, double? lastPsnr)
    {
        var at = epoch is { } e ? string.Create(CultureInfo.InvariantCulture, $" at epoch {e}") : string.Empty;
        var last = lastPsnr is { } p ? string.Create(CultureInfo.InvariantCulture, $" (last psnr_cross {p:0.00})") : string.Empty;
        var seeds = counts.Pruned == counts.Total ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; {counts.Pruned}/{counts.Total} seeds stopped, {counts.Succeeded} had finished");
        return $"pruned{at}{last}{seeds}";
    }

    /// <summary>Longest failure reason a note quotes; the whole text is in the trial's attempts and the event log.</summary>
    private const int MaxFailureLength = 200;

    /// <summary>A failed trial as the row's note names it: <c>seed 3 failed: diverged at step 12 (loss.cross = NaN)</c>, on one line.</summary>
    private static string Failure(TrialRecord trial)
    {
        var lines = (trial.Snapshot.Attempt?.Error ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var reason = lines.Length == 0 ? "no reason recorded" : string.Join(" / ", lines);
        if (reason.Length > MaxFailureLength)
        {
            reason = reason[..(MaxFailureLength - 3)] + "...";
        }

        return string.Create(CultureInfo.InvariantCulture, $"seed {trial.Definition.Seed} failed: {reason}");
    }

    private static string JoinNotes(params string[] notes) => string.Join("; ", notes.Where(n => !string.IsNullOrWhiteSpace(n)));

    private static MeasuredStat? Aggregate(List<(TrialRecord Trial, Dictionary<string, double> Scalars)> scalars, string name, string configName, List<string>? warnings)
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
                warnings?.Add($"trial {trial.Definition.Id} ({configName}, seed {trial.Definition.Seed}): {name} is {value.ToString(CultureInfo.InvariantCulture)}; left out of the mean");
            }
        }

        return MeasuredStat.Of(values);
    }

    /// <summary>The noisy input over every succeeded trial of the sweep (they share the validation images).</summary>
    private static TestMatrixRow? NoisyInputRow(List<(TrialRecord Trial, Dictionary<string, double> Scalars)> all)
    {
        var psnr = Aggregate(all, ReportMetricNames.PsnrNoisy, "noisy input", null);
        if (psnr is null)
        {
            return null;
        }

        var leakage = Aggregate(all, ReportMetricNames.LeakageNoisy, "noisy input", null);
        return ReferenceRow(all, RowKind.NoisyInput, "reference: noisy input", "the baseline: the noisy images themselves (leakage 1 by construction)") with
        {
            PsnrCross = psnr,
            SsimCross = Aggregate(all, ReportMetricNames.SsimNoisy, "noisy input", null),
            PsnrNoisy = psnr,
            PsnrGainCross = new MeasuredStat(0, null, psnr.N),
            GapClosed = 0,
            LeakageCross = leakage ?? new MeasuredStat(1, null, psnr.N),
        };
    }

    /// <summary>The tuned Gaussian filter over every succeeded trial of the sweep.</summary>
    private static TestMatrixRow? ClassicalRow(List<(TrialRecord Trial, Dictionary<string, double> Scalars)> all, double? ceiling)
    {
        var psnr = Aggregate(all, ReportMetricNames.PsnrClassical, "classical", null);
        if (psnr is null)
        {
            return null;
        }

        var gains = all.Where(s => s.Scalars.ContainsKey(ReportMetricNames.PsnrClassical) && s.Scalars.ContainsKey(ReportMetricNames.PsnrNoisy))
            .Select(s => s.Scalars[ReportMetricNames.PsnrClassical] - s.Scalars[ReportMetricNames.PsnrNoisy]).Where(double.IsFinite).ToList();
        var gain = MeasuredStat.Of(gains);
        var sigmas = all.Where(s => s.Scalars.ContainsKey(ReportMetricNames.ClassicalSigma)).Select(s => s.Scalars[ReportMetricNames.ClassicalSigma]).Distinct().Order().ToList();
        var note = sigmas.Count == 0
            ? "Gaussian filter tuned on the training split"
            : string.Create(CultureInfo.InvariantCulture, $"Gaussian filter, sigma {string.Join(", ", sigmas.Select(v => v.ToString("G3", CultureInfo.InvariantCulture)))} px, tuned on the training split");
        return ReferenceRow(all, RowKind.Classical, "reference: classical", note) with
        {
            PsnrCross = psnr,
            SsimCross = Aggregate(all, ReportMetricNames.SsimClassical, "classical", null),
            PsnrNoisy = Aggregate(all, ReportMetricNames.PsnrNoisy, "classical", null),
            PsnrGainCross = gain,
            GapClosed = ceiling is { } c && gain is { } g ? g.Mean / c : null,
            LeakageCross = Aggregate(all, ReportMetricNames.LeakageClassical, "classical", null),
        };
    }

    private static TestMatrixRow ReferenceRow(List<(TrialRecord Trial, Dictionary<string, double> Scalars)> all, RowKind kind, string name, string note)
    {
        var count = all.Count;
        return new TestMatrixRow(
            ConfigKey: kind.ToString().ToLowerInvariant(),
            ConfigName: name,
            OrderIndex: int.MaxValue,
            Parameters: [],
            TrialIds: [.. all.Select(s => s.Trial.Definition.Id)],
            Seeds: [.. all.Select(s => s.Trial.Definition.Seed)],
            Counts: new TrialCounts(count, count, 0, 0, 0, 0),
            State: RowState.Complete,
            Status: "measured in every trial's evaluation",
            CrossLossFinal: null,
            CrossSlope: null,
            CrossGoingDown: null,
            GoingDownVotes: 0,
            PsnrCross: null,
            SsimCross: null,
            PsnrGainCross: null,
            LeakageCross: null,
            LeakageRecon: null,
            ZDistance: null,
            Expect: string.Empty,
            ExpectedVerdict: null,
            Verdict: null,
            AgreesWithExpected: null,
            CrossLossCurves: [],
            PsnrCurves: [],
            Kind: kind,
            Note: note);
    }

    /// <summary>Whether the trial is a supervised cross reference trial (its config's <c>trainer.mode</c>).</summary>
    private static bool IsSupervisedCross(TrialRecord trial)
    {
        try
        {
            using var document = JsonDocument.Parse(trial.Definition.ConfigJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("trainer", out var trainer)
                && trainer.ValueKind == JsonValueKind.Object
                && trainer.TryGetProperty("mode", out var mode)
                && mode.ValueKind == JsonValueKind.String
                && mode.GetString() == SupervisedCrossMode;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static TrialCounts Count(List<TrialRecord> members)
    {
        int Of(params TrialState[] states) => members.Count(t => states.Contains(t.Snapshot.State));
        return new TrialCounts(members.Count, Of(TrialState.Succeeded), Of(TrialState.Pending), Of(TrialState.Placed, TrialState.Running),
            Of(TrialState.Failed), Of(TrialState.Cancelled), Of(TrialState.Pruned));
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
        Add(counts.Pruned, "pruned");
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
    private static Dictionary<string, double> ReadScalars(TrialRecord trial, List<string>? warnings)
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var json = trial.Snapshot.SummaryJson;
        if (string.IsNullOrWhiteSpace(json))
        {
            warnings?.Add($"trial {trial.Definition.Id}: succeeded without a summary");
            return scalars;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("scalars", out var values)
                || values.ValueKind != JsonValueKind.Object)
            {
                warnings?.Add($"trial {trial.Definition.Id}: summary has no \"scalars\" object");
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
            warnings?.Add($"trial {trial.Definition.Id}: summary is not valid JSON ({error.Message})");
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
