namespace SweepCluster.Telemetry.Tests;

/// <summary>
/// The real SweepCluster instruments through prometheus-net's meter adapter (<see cref="PrometheusMetrics"/>). The meter
/// is process-wide, so these tests share one collection and assert on their own labels.
/// </summary>
[Trait("Category", "Unit")]
[Collection(SweepClusterMeterCollection.Name)]
public sealed class SweepClusterTelemetryTests
{
    [Fact]
    public async Task Every_instrument_is_published_under_the_adapters_name_with_its_labels()
    {
        using var metrics = new PrometheusMetrics();
        var sweep = "names-" + Guid.NewGuid().ToString("N");
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromMinutes(2));
        SweepClusterTelemetry.RecordTrainStep("cpu", TimeSpan.FromMilliseconds(40));
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "lost");
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "lost");
        SweepClusterTelemetry.RecordReportRefused(sweep, "stale_attempt");
        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, 12);
        SweepClusterTelemetry.RecordEarlyStoppingDecision(sweep, "asha", "pruned");
        SweepClusterTelemetry.SetTrialCountsSource(() => [new TrialStateCount(sweep, "pending", 4)]);
        SweepClusterTelemetry.SetSiloSlotsSource(() => [new SiloSlotUsage("silo-a", 1, 3)]);
        SweepClusterTelemetry.SetGpuMemorySource(() => [new GpuMemoryUsage("silo-a", "cuda:0", 1 << 30)]);
        SweepClusterTelemetry.TrialMetrics.RecordLoss(sweep, "trial-1", "skip=additive", "cross", 0.25);
        SweepClusterTelemetry.TrialMetrics.RecordPsnr(sweep, "trial-1", "skip=additive", 27.5);
        SweepClusterTelemetry.TrialMetrics.RecordLeakage(sweep, "trial-1", "skip=additive", 0.03);
        try
        {
            var text = Exposition.Parse(await metrics.CollectTextAsync());

            Assert.Equal(
                [
                    "sweepcluster_sweepcluster_attempt_duration",
                    "sweepcluster_sweepcluster_attempt_retries",
                    "sweepcluster_sweepcluster_early_stopping_decisions",
                    "sweepcluster_sweepcluster_gpu_memory_used",
                    "sweepcluster_sweepcluster_metric_points_ingested",
                    "sweepcluster_sweepcluster_reports_refused",
                    "sweepcluster_sweepcluster_silo_slots",
                    "sweepcluster_sweepcluster_train_step_duration",
                    "sweepcluster_sweepcluster_trial_leakage",
                    "sweepcluster_sweepcluster_trial_loss",
                    "sweepcluster_sweepcluster_trial_psnr",
                    "sweepcluster_sweepcluster_trials",
                ],
                text.Types.Keys.Where(k => k.StartsWith("sweepcluster_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal(
                SweepClusterTelemetry.InstrumentNames.Select(n => PrometheusMetrics.SeriesName(SweepClusterTelemetry.Name, n)).Order(StringComparer.Ordinal),
                text.Types.Keys.Where(k => k.StartsWith("sweepcluster_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            Assert.Equal("histogram", text.Types["sweepcluster_sweepcluster_attempt_duration"]);
            // The adapter turns a .NET counter into a gauge holding the running sum.
            Assert.Equal("gauge", text.Types["sweepcluster_sweepcluster_attempt_retries"]);
            Assert.Equal(4, text.Value("sweepcluster_sweepcluster_trials", ("sweep", sweep), ("state", "pending")));
            Assert.Equal(1, text.Value("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-a"), ("state", "busy")));
            Assert.Equal(3, text.Value("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-a"), ("state", "free")));
            Assert.Equal(1 << 30, text.Value("sweepcluster_sweepcluster_gpu_memory_used", ("silo", "silo-a"), ("slot", "cuda:0")));
            Assert.Equal(0.25, text.Value("sweepcluster_sweepcluster_trial_loss", ("sweep", sweep), ("trial", "trial-1"), ("config", "skip=additive"), ("term", "cross")));
            Assert.Equal(27.5, text.Value("sweepcluster_sweepcluster_trial_psnr", ("sweep", sweep), ("trial", "trial-1"), ("config", "skip=additive")));
            Assert.Equal(0.03, text.Value("sweepcluster_sweepcluster_trial_leakage", ("sweep", sweep), ("trial", "trial-1"), ("config", "skip=additive")));
            Assert.Equal(12, text.Value("sweepcluster_sweepcluster_metric_points_ingested", ("sweep", sweep)));
            Assert.Equal(2, text.Value("sweepcluster_sweepcluster_attempt_retries", ("sweep", sweep), ("reason", "lost")));
            Assert.Equal(1, text.Value("sweepcluster_sweepcluster_reports_refused", ("sweep", sweep), ("reason", "stale_attempt")));
            Assert.Equal(1, text.Value("sweepcluster_sweepcluster_attempt_duration_bucket", ("sweep", sweep), ("outcome", "succeeded"), ("le", "300")));
            Assert.Equal(0, text.Value("sweepcluster_sweepcluster_attempt_duration_bucket", ("sweep", sweep), ("outcome", "succeeded"), ("le", "60")));
            Assert.Equal(120, text.Value("sweepcluster_sweepcluster_attempt_duration_sum", ("sweep", sweep), ("outcome", "succeeded")));
            Assert.Equal(1, text.Value("sweepcluster_sweepcluster_early_stopping_decisions", ("sweep", sweep), ("rule", "asha"), ("decision", "pruned")));
        }
        finally
        {
            SweepClusterTelemetry.SetTrialCountsSource(null);
            SweepClusterTelemetry.SetSiloSlotsSource(null);
            SweepClusterTelemetry.SetGpuMemorySource(null);
            SweepClusterTelemetry.TrialMetrics.Remove("trial-1");
        }
    }

    [Fact]
    public async Task Histograms_keep_the_documented_buckets()
    {
        using var metrics = new PrometheusMetrics();
        var sweep = "buckets-" + Guid.NewGuid().ToString("N");
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromSeconds(5));
        SweepClusterTelemetry.RecordTrainStep("buckets", TimeSpan.FromMilliseconds(1));

        var text = Exposition.Parse(await metrics.CollectTextAsync());
        double[] Bounds(string name, params (string, string)[] labels) =>
            [.. text.Find(name, labels).Select(s => s.Labels["le"]).Where(le => le != "+Inf").Select(le => double.Parse(le, System.Globalization.CultureInfo.InvariantCulture))];

        Assert.Equal(SweepClusterTelemetry.AttemptDurationBuckets, Bounds("sweepcluster_sweepcluster_attempt_duration_bucket", ("sweep", sweep)));
        Assert.Equal(SweepClusterTelemetry.TrainStepDurationBuckets, Bounds("sweepcluster_sweepcluster_train_step_duration_bucket", ("device", "buckets")));
        Assert.Single(text.Find("sweepcluster_sweepcluster_attempt_duration_bucket", ("sweep", sweep), ("le", "+Inf")));
    }

    [Fact]
    public async Task Unset_sources_observe_nothing()
    {
        using var metrics = new PrometheusMetrics();
        SweepClusterTelemetry.SetGpuMemorySource(null);

        var text = Exposition.Parse(await metrics.CollectTextAsync());

        Assert.Empty(text.Find("sweepcluster_sweepcluster_gpu_memory_used"));
    }
}
