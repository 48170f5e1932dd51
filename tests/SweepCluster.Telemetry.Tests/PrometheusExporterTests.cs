using System.Diagnostics.Metrics;

namespace SweepCluster.Telemetry.Tests;

[Trait("Category", "Unit")]
public sealed class PrometheusExporterTests : IDisposable
{
    // A meter name of its own per test, so parallel tests and the static SweepCluster meter never mix in.
    private readonly Meter _meter = new("Test.Exporter." + Guid.NewGuid().ToString("N"));
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterTests()
    {
        _exporter = new PrometheusExporter(_meter.Name);
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _meter.Dispose();
    }

    [Fact]
    public void Counter_gets_total_suffix_drops_annotation_unit_and_sums_per_label_set()
    {
        var counter = _meter.CreateCounter<long>("sweepcluster.lease.expiries", "{lease}", "Expired leases.");
        counter.Add(2, new KeyValuePair<string, object?>("sweep", "b"));
        counter.Add(1, new KeyValuePair<string, object?>("sweep", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("sweep", "b"));

        Assert.Equal(
            "# HELP sweepcluster_lease_expiries_total Expired leases.\n" +
            "# TYPE sweepcluster_lease_expiries_total counter\n" +
            "sweepcluster_lease_expiries_total{sweep=\"a\"} 1\n" +
            "sweepcluster_lease_expiries_total{sweep=\"b\"} 5\n",
            _exporter.Collect());
    }

    [Fact]
    public void Histogram_in_seconds_writes_cumulative_buckets_sum_and_count()
    {
        var histogram = _meter.CreateHistogram(
            "sweepcluster.claim.duration", "s", "Claim time.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });
        histogram.Record(0.005);
        histogram.Record(0.01); // on a bound: counts in that bucket (le is inclusive)
        histogram.Record(0.5);
        histogram.Record(7);

        Assert.Equal(
            "# HELP sweepcluster_claim_duration_seconds Claim time.\n" +
            "# TYPE sweepcluster_claim_duration_seconds histogram\n" +
            "sweepcluster_claim_duration_seconds_bucket{le=\"0.01\"} 2\n" +
            "sweepcluster_claim_duration_seconds_bucket{le=\"0.1\"} 2\n" +
            "sweepcluster_claim_duration_seconds_bucket{le=\"1\"} 3\n" +
            "sweepcluster_claim_duration_seconds_bucket{le=\"+Inf\"} 4\n" +
            "sweepcluster_claim_duration_seconds_sum 7.515\n" +
            "sweepcluster_claim_duration_seconds_count 4\n",
            _exporter.Collect());
    }

    [Fact]
    public void Histogram_labels_come_before_le()
    {
        var histogram = _meter.CreateHistogram(
            "step", "ms", null, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10] });
        histogram.Record(3, new KeyValuePair<string, object?>("device", "cpu"));

        Assert.Equal(
            "# HELP step_milliseconds step\n" +
            "# TYPE step_milliseconds histogram\n" +
            "step_milliseconds_bucket{device=\"cpu\",le=\"10\"} 1\n" +
            "step_milliseconds_bucket{device=\"cpu\",le=\"+Inf\"} 1\n" +
            "step_milliseconds_sum{device=\"cpu\"} 3\n" +
            "step_milliseconds_count{device=\"cpu\"} 1\n",
            _exporter.Collect());
    }

    [Fact]
    public void Observable_gauge_in_bytes_reports_only_what_the_callback_returns_now()
    {
        var readings = new List<Measurement<long>>
        {
            new(2048, new("silo", "s1"), new("slot", "cuda:0")),
            new(1024, new("silo", "s1"), new("slot", "cuda:1")),
        };
        _meter.CreateObservableGauge("sweepcluster.gpu.memory.used", () => readings.ToArray(), "By", "GPU memory.");

        Assert.Equal(
            "# HELP sweepcluster_gpu_memory_used_bytes GPU memory.\n" +
            "# TYPE sweepcluster_gpu_memory_used_bytes gauge\n" +
            "sweepcluster_gpu_memory_used_bytes{silo=\"s1\",slot=\"cuda:0\"} 2048\n" +
            "sweepcluster_gpu_memory_used_bytes{silo=\"s1\",slot=\"cuda:1\"} 1024\n",
            _exporter.Collect());

        readings.RemoveAt(1);
        readings[0] = new(4096, new("silo", "s1"), new("slot", "cuda:0"));

        Assert.Equal(
            "# HELP sweepcluster_gpu_memory_used_bytes GPU memory.\n" +
            "# TYPE sweepcluster_gpu_memory_used_bytes gauge\n" +
            "sweepcluster_gpu_memory_used_bytes{silo=\"s1\",slot=\"cuda:0\"} 4096\n",
            _exporter.Collect());
    }

    [Fact]
    public void Up_down_counter_is_a_gauge_that_adds()
    {
        var running = _meter.CreateUpDownCounter<int>("sweepcluster.attempts.running", "{attempt}", "Running attempts.");
        running.Add(3);
        running.Add(-1);

        Assert.Equal(
            "# HELP sweepcluster_attempts_running Running attempts.\n" +
            "# TYPE sweepcluster_attempts_running gauge\n" +
            "sweepcluster_attempts_running 2\n",
            _exporter.Collect());
    }

    [Fact]
    public void Synchronous_gauge_keeps_the_last_value_and_unit_one_becomes_ratio()
    {
        var gauge = _meter.CreateGauge<double>("gpu.utilization", "1", "Busy fraction.");
        gauge.Record(0.25);
        gauge.Record(0.75);

        Assert.Equal(
            "# HELP gpu_utilization_ratio Busy fraction.\n" +
            "# TYPE gpu_utilization_ratio gauge\n" +
            "gpu_utilization_ratio 0.75\n",
            _exporter.Collect());
    }

    [Fact]
    public void Observable_counter_reports_the_observed_total()
    {
        var total = 10L;
        _meter.CreateObservableCounter("bytes.sent", () => total, "By", "Sent.");
        _exporter.Collect();
        total = 25;

        Assert.Equal(
            "# HELP bytes_sent_bytes_total Sent.\n" +
            "# TYPE bytes_sent_bytes_total counter\n" +
            "bytes_sent_bytes_total 25\n",
            _exporter.Collect());
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_label_names_are_sanitized()
    {
        var counter = _meter.CreateCounter<long>("reports.refused", null, "Line one\nback\\slash");
        counter.Add(1, new KeyValuePair<string, object?>("config.name", "a\\b \"q\"\nnext"));

        Assert.Equal(
            "# HELP reports_refused_total Line one\\nback\\\\slash\n" +
            "# TYPE reports_refused_total counter\n" +
            "reports_refused_total{config_name=\"a\\\\b \\\"q\\\"\\nnext\"} 1\n",
            _exporter.Collect());
    }

    [Fact]
    public void Families_are_sorted_by_name_and_special_values_use_prometheus_spelling()
    {
        var nan = double.NaN;
        _meter.CreateObservableGauge("zeta", () => double.PositiveInfinity);
        _meter.CreateObservableGauge("alpha", () => nan);
        _meter.CreateObservableGauge("mid", () => -1.5e-7);

        Assert.Equal(
            "# HELP alpha alpha\n# TYPE alpha gauge\nalpha NaN\n" +
            "# HELP mid mid\n# TYPE mid gauge\nmid -1.5E-07\n" +
            "# HELP zeta zeta\n# TYPE zeta gauge\nzeta +Inf\n",
            _exporter.Collect());
    }

    [Fact]
    public void Instruments_of_other_meters_are_not_exported()
    {
        using var other = new Meter("Test.Other." + Guid.NewGuid().ToString("N"));
        other.CreateCounter<long>("not.mine").Add(1);
        _meter.CreateCounter<long>("mine").Add(1);

        var text = _exporter.Collect();

        Assert.Contains("mine_total 1\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("not_mine", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_writes_the_same_text_as_utf8()
    {
        _meter.CreateCounter<long>("écrits").Add(4, new KeyValuePair<string, object?>("name", "μ"));
        var expected = _exporter.Collect();
        using var stream = new MemoryStream();

        await _exporter.WriteAsync(stream);

        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Contains("name=\"μ\"", expected, StringComparison.Ordinal);
    }
}
