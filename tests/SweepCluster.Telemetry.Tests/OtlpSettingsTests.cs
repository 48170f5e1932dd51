namespace SweepCluster.Telemetry.Tests;

[Trait("Category", "Unit")]
public sealed class OtlpSettingsTests
{
    [Fact]
    public void Nothing_is_exported_without_an_endpoint()
    {
        Assert.Null(OtlpSettings.FromEnvironment("svc", new Dictionary<string, string?>()));
        Assert.Null(OtlpSettings.FromEnvironment("svc", new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = " " }));
    }

    [Fact]
    public void Bad_protocol_endpoint_or_interval_is_refused_with_the_variable_named()
    {
        var protocol = Assert.Throws<ArgumentException>(() => OtlpSettings.FromEnvironment("svc", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/json",
        }));
        var endpoint = Assert.Throws<ArgumentException>(() => OtlpSettings.FromEnvironment("svc", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "collector:4318",
        }));
        var interval = Assert.Throws<ArgumentException>(() => OtlpSettings.FromEnvironment("svc", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4318",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "-5",
        }));

        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL", protocol.Message, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint.Message, StringComparison.Ordinal);
        Assert.Contains("OTEL_METRIC_EXPORT_INTERVAL", interval.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_protobuf_appends_the_signal_paths_and_the_service_name_can_be_overridden()
    {
        var settings = OtlpSettings.FromEnvironment("sweepcluster-silo", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318/",
            ["OTEL_SERVICE_NAME"] = "gpu-silo-7",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
        });

        Assert.NotNull(settings);
        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), settings.MetricsEndpoint);
        Assert.Equal(new Uri("http://collector:4318/v1/traces"), settings.TracesEndpoint);
        Assert.Equal("gpu-silo-7", settings.ServiceName);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.MetricExportInterval);
    }
}
