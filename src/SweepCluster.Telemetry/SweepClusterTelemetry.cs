using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SweepCluster.Telemetry;

/// <summary>
/// SweepCluster's one <see cref="System.Diagnostics.Metrics.Meter"/> and one <see cref="System.Diagnostics.ActivitySource"/>,
/// both named <c>SweepCluster</c>, with every instrument the coordinator and silos report.
/// </summary>
/// <remarks>
/// Callers use the <c>Record*</c> methods for events and the <c>Set*Source</c> methods to hand in the callbacks
/// that observable gauges read at collection time (the trial counts from the store, the silos' slots, the GPUs'
/// memory). A source may be replaced at any time; a source that is not set observes nothing. Every member is
/// thread safe. <see cref="PrometheusMetrics"/> publishes the meter on <c>/metrics</c> through prometheus-net's meter
/// adapter, which names a series after the meter and the instrument (<c>sweepcluster.attempt.duration</c> becomes
/// <c>sweepcluster_sweepcluster_attempt_duration</c>); <c>deploy/README.md</c> lists them.
/// </remarks>
public static class SweepClusterTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "SweepCluster";

    private static Func<IEnumerable<TrialStateCount>>? s_trialCounts;
    private static Func<IEnumerable<SiloSlotUsage>>? s_siloSlots;
    private static Func<IEnumerable<GpuMemoryUsage>>? s_gpuMemory;

    /// <summary>Bucket bounds (seconds) of the attempt-duration histogram: from a failed start to a day of training.</summary>
    public static IReadOnlyList<double> AttemptDurationBuckets { get; } =
        [1, 10, 30, 60, 300, 900, 1800, 3600, 7200, 14400, 43200, 86400];

    /// <summary>Bucket bounds (seconds) of the training-step histogram: a CPU phantom step to a large GPU batch.</summary>
    public static IReadOnlyList<double> TrainStepDurationBuckets { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>The meter every SweepCluster instrument belongs to.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>The source of SweepCluster's traces (attempts).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Latest per-trial loss, PSNR and leakage, capped at the most recent trials; the coordinator updates it.</summary>
    public static TrialMetricRegistry TrialMetrics { get; } = new();

    private static readonly Histogram<double> AttemptDuration = Meter.CreateHistogram(
        "sweepcluster.attempt.duration",
        unit: "s",
        description: "Wall time of finished attempts, by sweep and outcome.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AttemptDurationBuckets });

    private static readonly Histogram<double> TrainStepDuration = Meter.CreateHistogram(
        "sweepcluster.train.step.duration",
        unit: "s",
        description: "Wall time of one optimizer step in a trial, by device kind.",
        tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TrainStepDurationBuckets });

    private static readonly Counter<long> AttemptRetries = Meter.CreateCounter<long>(
        "sweepcluster.attempt.retries", "{attempt}", "Trials sent back to pending for another attempt, by sweep and reason.");

    private static readonly Counter<long> ReportsRefused = Meter.CreateCounter<long>(
        "sweepcluster.reports.refused", "{report}", "Attempt reports a trial grain refused (stale attempt number, attempt held by another silo), by sweep and reason.");

    private static readonly Counter<long> MetricPointsIngested = Meter.CreateCounter<long>(
        "sweepcluster.metric_points.ingested", "{point}", "Metric points stored (duplicates of a retried request not counted), by sweep.");

    private static readonly Counter<long> EarlyStoppingDecisions = Meter.CreateCounter<long>(
        "sweepcluster.early_stopping.decisions", "{decision}", "Early-stopping judgements of configurations (pruned or continued), by sweep and rule.");

    private static readonly ObservableGauge<long> Trials = Meter.CreateObservableGauge(
        "sweepcluster.trials", ObserveTrials, "{trial}", "Trials by sweep and lifecycle state.");

    private static readonly ObservableGauge<int> SiloSlots = Meter.CreateObservableGauge(
        "sweepcluster.silo.slots", ObserveSiloSlots, "{slot}", "Slots per silo, busy or free.");

    private static readonly ObservableGauge<long> GpuMemoryUsed = Meter.CreateObservableGauge(
        "sweepcluster.gpu.memory.used", ObserveGpuMemory, "By", "Device memory in use per silo slot.");

    private static readonly ObservableGauge<double> TrialLoss = Meter.CreateObservableGauge(
        "sweepcluster.trial.loss", ObserveTrialLoss, unit: null, "Latest loss of recent trials, by term (capped series; see TrialMetricRegistry).");

    private static readonly ObservableGauge<double> TrialPsnr = Meter.CreateObservableGauge(
        "sweepcluster.trial.psnr", ObserveTrialPsnr, "dB", "Latest cross PSNR of recent trials (capped series).");

    private static readonly ObservableGauge<double> TrialLeakage = Meter.CreateObservableGauge(
        "sweepcluster.trial.leakage", ObserveTrialLeakage, unit: null, "Latest cross noise-leakage index of recent trials (capped series).");

    /// <summary>
    /// The observable gauges with the label keys their measurements carry and the label values they would report now
    /// (in the keys' order): what <see cref="PrometheusMetrics"/> keeps on <c>/metrics</c>, and nothing more.
    /// </summary>
    internal static IReadOnlyList<ObservedGauge> ObservedGauges { get; } =
    [
        new(Trials, ["sweep", "state"], () => ObserveTrials().Select(m => LabelValues(m.Tags, ["sweep", "state"]))),
        new(SiloSlots, ["silo", "state"], () => ObserveSiloSlots().Select(m => LabelValues(m.Tags, ["silo", "state"]))),
        new(GpuMemoryUsed, ["silo", "slot"], () => ObserveGpuMemory().Select(m => LabelValues(m.Tags, ["silo", "slot"]))),
        new(TrialLoss, ["sweep", "trial", "config", "term"], () => ObserveTrialLoss().Select(m => LabelValues(m.Tags, ["sweep", "trial", "config", "term"]))),
        new(TrialPsnr, ["sweep", "trial", "config"], () => ObserveTrialPsnr().Select(m => LabelValues(m.Tags, ["sweep", "trial", "config"]))),
        new(TrialLeakage, ["sweep", "trial", "config"], () => ObserveTrialLeakage().Select(m => LabelValues(m.Tags, ["sweep", "trial", "config"]))),
    ];

    /// <summary>The names of every instrument above, in declaration order.</summary>
    public static IReadOnlyList<string> InstrumentNames { get; } =
    [
        AttemptDuration.Name, TrainStepDuration.Name, AttemptRetries.Name, ReportsRefused.Name, MetricPointsIngested.Name,
        Trials.Name, SiloSlots.Name, GpuMemoryUsed.Name, TrialLoss.Name, TrialPsnr.Name, TrialLeakage.Name,
        EarlyStoppingDecisions.Name,
    ];

    /// <summary>Sets the callback the <c>sweepcluster.trials</c> gauge reads: trial counts by sweep and state (the coordinator's store).</summary>
    public static void SetTrialCountsSource(Func<IEnumerable<TrialStateCount>>? source) => Volatile.Write(ref s_trialCounts, source);

    /// <summary>Sets the callback the slot gauge reads (the coordinator's view of the cluster's silos).</summary>
    public static void SetSiloSlotsSource(Func<IEnumerable<SiloSlotUsage>>? source) => Volatile.Write(ref s_siloSlots, source);

    /// <summary>Sets the callback the <c>sweepcluster.gpu.memory.used</c> gauge reads (the silo's GPUs).</summary>
    public static void SetGpuMemorySource(Func<IEnumerable<GpuMemoryUsage>>? source) => Volatile.Write(ref s_gpuMemory, source);

    /// <summary>Records a finished attempt (<c>sweepcluster.attempt.duration</c>); <paramref name="outcome"/> is e.g. <c>succeeded</c>, <c>failed</c>, <c>lost</c>, <c>cancelled</c>.</summary>
    public static void RecordAttempt(string sweepId, string outcome, TimeSpan duration) =>
        AttemptDuration.Record(duration.TotalSeconds, new("sweep", sweepId), new("outcome", outcome));

    /// <summary>Records one optimizer step (<c>sweepcluster.train.step.duration</c>); <paramref name="device"/> is <c>cpu</c> or <c>cuda</c>.</summary>
    public static void RecordTrainStep(string device, TimeSpan duration) =>
        TrainStepDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("device", device));

    /// <summary>Counts a trial sent back for another attempt (<c>sweepcluster.attempt.retries</c>); <paramref name="reason"/> is e.g. <c>failed</c> or <c>lost</c>.</summary>
    public static void RecordAttemptRetry(string sweepId, string reason) =>
        AttemptRetries.Add(1, new("sweep", sweepId), new("reason", reason));

    /// <summary>Counts a refused silo report (<c>sweepcluster.reports.refused</c>); <paramref name="reason"/> is e.g. <c>stale_attempt</c> or <c>not_holder</c>.</summary>
    public static void RecordReportRefused(string sweepId, string reason) =>
        ReportsRefused.Add(1, new("sweep", sweepId), new("reason", reason));

    /// <summary>Counts newly stored metric points (<c>sweepcluster.metric_points.ingested</c>).</summary>
    public static void RecordMetricPointsIngested(string sweepId, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        MetricPointsIngested.Add(count, new KeyValuePair<string, object?>("sweep", sweepId));
    }

    private static string[] LabelValues(ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] keys)
    {
        var values = new string[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            values[i] = "";
            foreach (var tag in tags)
            {
                if (string.Equals(tag.Key, keys[i], StringComparison.Ordinal))
                {
                    values[i] = tag.Value?.ToString() ?? "";
                }
            }
        }

        return values;
    }

    /// <summary>
    /// Counts an early-stopping judgement of a configuration (<c>sweepcluster.early_stopping.decisions</c>), once when the
    /// sweep grain takes it; <paramref name="rule"/> is <c>asha</c> or <c>median</c>, <paramref name="decision"/>
    /// <c>pruned</c> or <c>continued</c>.
    /// </summary>
    public static void RecordEarlyStoppingDecision(string sweepId, string rule, string decision) =>
        EarlyStoppingDecisions.Add(1, new("sweep", sweepId), new("rule", rule), new("decision", decision));

    private static IEnumerable<Measurement<long>> ObserveTrials()
    {
        foreach (var count in Volatile.Read(ref s_trialCounts)?.Invoke() ?? [])
        {
            yield return new Measurement<long>(count.Count, new("sweep", count.SweepId), new("state", count.State));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveSiloSlots()
    {
        foreach (var silo in Volatile.Read(ref s_siloSlots)?.Invoke() ?? [])
        {
            yield return new Measurement<int>(silo.Busy, new("silo", silo.SiloId), new("state", "busy"));
            yield return new Measurement<int>(silo.Free, new("silo", silo.SiloId), new("state", "free"));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveGpuMemory()
    {
        foreach (var gpu in Volatile.Read(ref s_gpuMemory)?.Invoke() ?? [])
        {
            yield return new Measurement<long>(gpu.UsedBytes, new("silo", gpu.SiloId), new("slot", gpu.Slot));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveTrialLoss()
    {
        foreach (var trial in TrialMetrics.Snapshot())
        {
            foreach (var (term, value) in trial.Losses)
            {
                yield return new Measurement<double>(
                    value, new("sweep", trial.SweepId), new("trial", trial.TrialId), new("config", trial.ConfigName), new("term", term));
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveTrialPsnr()
    {
        foreach (var trial in TrialMetrics.Snapshot())
        {
            if (trial.Psnr is { } psnr)
            {
                yield return new Measurement<double>(psnr, new("sweep", trial.SweepId), new("trial", trial.TrialId), new("config", trial.ConfigName));
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveTrialLeakage()
    {
        foreach (var trial in TrialMetrics.Snapshot())
        {
            if (trial.Leakage is { } leakage)
            {
                yield return new Measurement<double>(leakage, new("sweep", trial.SweepId), new("trial", trial.TrialId), new("config", trial.ConfigName));
            }
        }
    }
}
