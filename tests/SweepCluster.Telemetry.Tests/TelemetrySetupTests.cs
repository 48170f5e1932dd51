namespace SweepCluster.Telemetry.Tests;

[Trait("Category", "Integration")]
[Collection(SweepClusterMeterCollection.Name)]
public sealed class TelemetrySetupTests
{
    [Fact]
    public void Nothing_starts_without_an_endpoint()
    {
        Assert.Null(TelemetrySetup.AddOtlpIfConfigured("svc", new Dictionary<string, string?>()));
        Assert.Null(TelemetrySetup.AddOtlpIfConfigured("svc", new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = " " }));
    }

    [Fact]
    public void Bad_protocol_or_endpoint_is_refused_with_the_variable_named()
    {
        var protocol = Assert.Throws<ArgumentException>(() => TelemetrySetup.AddOtlpIfConfigured("svc", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json",
        }));
        var endpoint = Assert.Throws<ArgumentException>(() => TelemetrySetup.AddOtlpIfConfigured("svc", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4318",
        }));

        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL", protocol.Message, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_and_traces_reach_an_otlp_http_receiver_as_protobuf()
    {
        using var receiver = new OtlpReceiver();
        using (var telemetry = TelemetrySetup.AddOtlpIfConfigured("sweepcluster-test", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{receiver.Port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        }))
        {
            Assert.NotNull(telemetry);
            Assert.Equal(new Uri($"http://127.0.0.1:{receiver.Port}/v1/metrics"), telemetry.MetricsEndpoint);
            SweepClusterTelemetry.RecordReportRefused("otlp_test");
            using (var activity = SweepClusterTelemetry.ActivitySource.StartActivity("claim"))
            {
                Assert.NotNull(activity);
                activity.SetTag("sweep", "otlp-test");
            }

            Assert.True(telemetry.ForceFlush(TimeSpan.FromSeconds(20)), "the OTLP exporters did not finish within 20 s");
        }

        var requests = receiver.Requests.ToArray();
        var metrics = requests.Where(r => r.Path == "/v1/metrics").ToArray();
        var traces = requests.Where(r => r.Path == "/v1/traces").ToArray();
        Assert.NotEmpty(metrics);
        Assert.NotEmpty(traces);
        Assert.All(metrics.Concat(traces), r =>
        {
            Assert.Equal("application/x-protobuf", r.ContentType);
            Assert.True(r.BodyLength > 0, $"empty body posted to {r.Path}");
        });
    }
}
