using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SweepCluster.Testing;

namespace SweepCluster.Telemetry.Tests;

/// <summary>A host set up with <see cref="TelemetryServiceCollectionExtensions.AddSweepClusterTelemetry"/> exports over OTLP/HTTP.</summary>
[Trait("Category", "Integration")]
[Collection(SweepClusterMeterCollection.Name)]
public sealed class OtlpExportTests
{
    [Fact]
    public async Task Metrics_and_traces_reach_an_otlp_http_receiver_as_protobuf()
    {
        using var receiver = new OtlpReceiver();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSweepClusterTelemetry("sweepcluster-test", new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        });
        using var host = builder.Build();
        await host.StartAsync();
        string traceId;
        using (var activity = SweepClusterTelemetry.ActivitySource.StartActivity("sweepcluster.attempt"))
        {
            Assert.NotNull(activity);
            traceId = activity.TraceId.ToHexString();
        }

        SweepClusterTelemetry.RecordReportRefused("otlp-test", "otlp_test");
        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(20_000), "the trace exporter did not finish within 20 s");
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(20_000), "the metric exporter did not finish within 20 s");
        await host.StopAsync();

        var requests = receiver.Requests.ToArray();
        Assert.Contains(requests, r => r.Path == "/v1/metrics");
        Assert.All(requests, r =>
        {
            Assert.Equal("application/x-protobuf", r.ContentType);
            Assert.True(r.Body.Length > 0, $"empty body posted to {r.Path}");
        });
        var span = Assert.Single(receiver.Spans(), s => s.TraceId == traceId);
        Assert.Equal(("SweepCluster", "sweepcluster.attempt"), (span.Scope, span.Name));
    }

    [Fact]
    public void Without_an_endpoint_no_provider_is_registered()
    {
        var services = new ServiceCollection();
        services.AddSweepClusterTelemetry("sweepcluster-test", new Dictionary<string, string?>());

        using var provider = services.BuildServiceProvider();
        Assert.Null(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<PrometheusMetrics>());
    }
}
