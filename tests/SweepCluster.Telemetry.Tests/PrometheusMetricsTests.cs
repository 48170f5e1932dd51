namespace SweepCluster.Telemetry.Tests;

/// <summary>What <c>/metrics</c> holds over time: observed series follow their sources, per-trial series stay under the cap.</summary>
[Trait("Category", "Unit")]
[Collection(SweepClusterMeterCollection.Name)]
public sealed class PrometheusMetricsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Psnr = "sweepcluster_sweepcluster_trial_psnr";
    private const string Loss = "sweepcluster_sweepcluster_trial_loss";
    private const string Leakage = "sweepcluster_sweepcluster_trial_leakage";

    [Fact]
    public async Task Per_trial_series_stay_under_the_cap_while_2000_trials_report_between_scrapes()
    {
        using var metrics = new PrometheusMetrics();
        var registry = SweepClusterTelemetry.TrialMetrics;
        var sweep = "cap-" + Guid.NewGuid().ToString("N")[..8];
        var trials = Enumerable.Range(0, 2000).Select(i => $"{sweep}-t{i:D4}").ToList();
        try
        {
            var largest = 0;
            for (var i = 0; i < trials.Count; i++)
            {
                registry.RecordLoss(sweep, trials[i], $"config-{i % 7}", "cross", 1.0 / (i + 1));
                registry.RecordLoss(sweep, trials[i], $"config-{i % 7}", "recon", 2.0 / (i + 1));
                registry.RecordPsnr(sweep, trials[i], $"config-{i % 7}", 20 + (i % 10));
                registry.RecordLeakage(sweep, trials[i], $"config-{i % 7}", 0.01 * (i % 5));
                if (i % 100 == 99)
                {
                    // As Prometheus would: a scrape every so often while trials keep reporting.
                    var scraped = Exposition.Parse(await metrics.CollectTextAsync());
                    var seen = TrialsIn(scraped, sweep);
                    largest = Math.Max(largest, seen.Count);
                    Assert.True(seen.Count <= registry.Capacity, $"after {i + 1} trials a scrape held {seen.Count} trials, over the cap of {registry.Capacity}");
                }
            }

            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var raw = await metrics.CollectTextAsync();
            stopwatch.Stop();
            var text = Exposition.Parse(raw);
            var kept = TrialsIn(text, sweep);
            output.WriteLine(
                $"after 2,000 trials: {kept.Count} trials, {text.Samples.Count(s => s.Name is Psnr or Loss or Leakage)} per-trial series, " +
                $"{text.Samples.Count} samples in all, {raw.Length:N0} characters, collected in {stopwatch.Elapsed.TotalMilliseconds:F1} ms; largest scrape meanwhile {largest} trials");

            Assert.Equal(TrialMetricRegistry.DefaultCapacity, largest);
            // The 500 most recently updated trials, each with two loss terms, a PSNR and a leakage: 2,000 series.
            Assert.Equal(trials[^TrialMetricRegistry.DefaultCapacity..].ToHashSet(), kept);
            Assert.Equal(2 * TrialMetricRegistry.DefaultCapacity, text.Find(Loss, ("sweep", sweep)).Count());
            Assert.Equal(TrialMetricRegistry.DefaultCapacity, text.Find(Psnr, ("sweep", sweep)).Count());
            Assert.Equal(TrialMetricRegistry.DefaultCapacity, text.Find(Leakage, ("sweep", sweep)).Count());
            Assert.Empty(text.Find(Psnr, ("trial", trials[0])));
            Assert.Equal(20 + (1999 % 10), text.Value(Psnr, ("trial", trials[^1])));
        }
        finally
        {
            foreach (var trial in trials)
            {
                registry.Remove(trial);
            }
        }
    }

    [Fact]
    public async Task A_silo_its_source_no_longer_reports_is_gone_from_the_next_scrape()
    {
        using var metrics = new PrometheusMetrics();
        IReadOnlyList<SiloSlotUsage> silos = [new("silo-a", 1, 1), new("silo-b", 0, 2)];
        SweepClusterTelemetry.SetSiloSlotsSource(() => silos);
        try
        {
            var before = Exposition.Parse(await metrics.CollectTextAsync());
            silos = [new("silo-a", 2, 0)];
            var after = Exposition.Parse(await metrics.CollectTextAsync());

            Assert.Equal(2, before.Find("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-b")).Count());
            Assert.Empty(after.Find("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-b")));
            Assert.Equal(2, after.Value("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-a"), ("state", "busy")));
            Assert.Equal(0, after.Value("sweepcluster_sweepcluster_silo_slots", ("silo", "silo-a"), ("state", "free")));
        }
        finally
        {
            SweepClusterTelemetry.SetSiloSlotsSource(null);
        }
    }

    [Fact]
    public async Task A_counter_keeps_its_sum_across_scrapes()
    {
        using var metrics = new PrometheusMetrics();
        var sweep = "sum-" + Guid.NewGuid().ToString("N")[..8];

        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, 5);
        var first = Exposition.Parse(await metrics.CollectTextAsync());
        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, 7);
        var second = Exposition.Parse(await metrics.CollectTextAsync());

        Assert.Equal(5, first.Value("sweepcluster_sweepcluster_metric_points_ingested", ("sweep", sweep)));
        Assert.Equal(12, second.Value("sweepcluster_sweepcluster_metric_points_ingested", ("sweep", sweep)));
    }

    [Theory]
    [InlineData("SweepCluster", true)]
    [InlineData("Microsoft.Orleans", true)]
    [InlineData("System.Runtime", true)]
    [InlineData("Microsoft.AspNetCore.Hosting", true)]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", true)]
    [InlineData("System.Net.Http", true)]
    [InlineData("Npgsql", true)]
    [InlineData("Microsoft.AspNetCoreX", false)]
    [InlineData("Some.Library", false)]
    public void Only_the_listed_meters_are_published(string meter, bool published) =>
        Assert.Equal(published, PrometheusMetrics.IsPublished(meter));

    [Fact]
    public void Series_names_follow_the_adapters_rule() =>
        Assert.Equal("microsoft_orleans_orleans_catalog_activations", PrometheusMetrics.SeriesName("Microsoft.Orleans", "orleans-catalog-activations"));

    private static HashSet<string> TrialsIn(Exposition text, string sweep) =>
        [.. text.Samples.Where(s => s.Name is Psnr or Loss or Leakage && s.Labels.GetValueOrDefault("sweep") == sweep).Select(s => s.Labels["trial"])];
}
