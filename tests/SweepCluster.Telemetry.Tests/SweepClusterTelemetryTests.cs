namespace SweepCluster.Telemetry.Tests;

/// <summary>The real SweepCluster instruments through the exporter. The meter is process-wide, so these tests share one collection and assert on their own labels.</summary>
[Trait("Category", "Unit")]
[Collection(SweepClusterMeterCollection.Name)]
public sealed class SweepClusterTelemetryTests
{
    [Fact]
    public void Every_instrument_is_exported_under_its_prometheus_name()
    {
        using var exporter = new PrometheusExporter();
        var sweep = "names-" + Guid.NewGuid().ToString("N");
        SweepClusterTelemetry.RecordClaim(TimeSpan.FromMilliseconds(3));
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromMinutes(2));
        SweepClusterTelemetry.RecordTrainStep("cpu", TimeSpan.FromMilliseconds(40));
        SweepClusterTelemetry.RecordLeaseExpiry(sweep);
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "lost");
        SweepClusterTelemetry.RecordReportRefused("stale_attempt");
        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, 12);
        SweepClusterTelemetry.RecordSiloHeartbeat("silo-a");
        SweepClusterTelemetry.SetTrialCountsSource(() => [new TrialStateCount(sweep, "pending", 4)]);
        SweepClusterTelemetry.SetSiloSlotsSource(() => [new SiloSlotUsage("silo-a", 1, 3, TimeSpan.FromSeconds(2.5))]);
        SweepClusterTelemetry.SetGpuMemorySource(() => [new GpuMemoryUsage("silo-a", "cuda:0", 1 << 30)]);
        SweepClusterTelemetry.TrialMetrics.RecordLoss(sweep, "trial-1", "skip=additive", "cross", 0.25);
        SweepClusterTelemetry.TrialMetrics.RecordPsnr(sweep, "trial-1", "skip=additive", 27.5);
        SweepClusterTelemetry.TrialMetrics.RecordLeakage(sweep, "trial-1", "skip=additive", 0.03);
        try
        {
            var text = exporter.Collect();

            Assert.Equal(
                [
                    "sweepcluster_attempt_duration_seconds",
                    "sweepcluster_attempt_retries_total",
                    "sweepcluster_claim_duration_seconds",
                    "sweepcluster_gpu_memory_used_bytes",
                    "sweepcluster_lease_expiries_total",
                    "sweepcluster_metric_points_ingested_total",
                    "sweepcluster_reports_refused_total",
                    "sweepcluster_silo_heartbeat_age_seconds",
                    "sweepcluster_silo_heartbeats_total",
                    "sweepcluster_silo_slots",
                    "sweepcluster_train_step_duration_seconds",
                    "sweepcluster_trial_leakage",
                    "sweepcluster_trial_loss",
                    "sweepcluster_trial_psnr_decibels",
                    "sweepcluster_trials",
                ],
                text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
            Assert.Contains($"sweepcluster_trials{{state=\"pending\",sweep=\"{sweep}\"}} 4\n", text, StringComparison.Ordinal);
            Assert.Contains("sweepcluster_silo_slots{silo=\"silo-a\",state=\"busy\"} 1\n", text, StringComparison.Ordinal);
            Assert.Contains("sweepcluster_silo_slots{silo=\"silo-a\",state=\"free\"} 3\n", text, StringComparison.Ordinal);
            Assert.Contains("sweepcluster_silo_heartbeat_age_seconds{silo=\"silo-a\"} 2.5\n", text, StringComparison.Ordinal);
            Assert.Contains("sweepcluster_gpu_memory_used_bytes{silo=\"silo-a\",slot=\"cuda:0\"} 1073741824\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_trial_loss{{config=\"skip=additive\",sweep=\"{sweep}\",term=\"cross\",trial=\"trial-1\"}} 0.25\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_trial_psnr_decibels{{config=\"skip=additive\",sweep=\"{sweep}\",trial=\"trial-1\"}} 27.5\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_trial_leakage{{config=\"skip=additive\",sweep=\"{sweep}\",trial=\"trial-1\"}} 0.03\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_metric_points_ingested_total{{sweep=\"{sweep}\"}} 12\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_attempt_retries_total{{reason=\"lost\",sweep=\"{sweep}\"}} 1\n", text, StringComparison.Ordinal);
            Assert.Contains($"sweepcluster_attempt_duration_seconds_bucket{{outcome=\"succeeded\",sweep=\"{sweep}\",le=\"300\"}} 1\n", text, StringComparison.Ordinal);
            Assert.Contains("sweepcluster_claim_duration_seconds_bucket{le=\"0.001\"}", text, StringComparison.Ordinal);
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
    public void Claim_histogram_uses_the_documented_buckets()
    {
        using var exporter = new PrometheusExporter();
        SweepClusterTelemetry.RecordClaim(TimeSpan.FromMilliseconds(1));

        var les = exporter.Collect().Split('\n')
            .Where(l => l.StartsWith("sweepcluster_claim_duration_seconds_bucket", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.LastIndexOf('"')]);

        Assert.Equal(SweepClusterTelemetry.ClaimDurationBuckets.Select(b => PrometheusNamingFormat(b)).Append("+Inf"), les);
    }

    [Fact]
    public void Unset_sources_observe_nothing()
    {
        using var exporter = new PrometheusExporter();
        SweepClusterTelemetry.SetGpuMemorySource(null);

        var text = exporter.Collect();

        Assert.Contains("# TYPE sweepcluster_gpu_memory_used_bytes gauge\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sweepcluster_gpu_memory_used_bytes{", text, StringComparison.Ordinal);
    }

    private static string PrometheusNamingFormat(double bound) => bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
