using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SweepCluster.Telemetry;

/// <summary>The telemetry of every SweepCluster host: prometheus-net's registry for <c>/metrics</c>, and OTLP export when configured.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Orleans' activity sources (grain calls, placement, activation, storage); a silo creates their spans only when it
    /// propagates activities (<c>AddActivityPropagation</c>) and something listens.
    /// </summary>
    public const string OrleansActivitySources = "Microsoft.Orleans.*";

    /// <summary>
    /// Registers the host's <see cref="PrometheusMetrics"/> (map it with <see cref="MetricsEndpoints.MapSweepClusterMetrics"/>),
    /// and, when <see cref="OtlpSettings.FromEnvironment"/> finds an endpoint, OpenTelemetry through its hosting
    /// extensions: the meters <c>/metrics</c> publishes (ours, Orleans', the runtime's, ASP.NET Core's, HttpClient's,
    /// Npgsql's) and the traces of our source (one span per attempt), Orleans' sources, ASP.NET Core, HttpClient and
    /// Npgsql, both exported over OTLP.
    /// </summary>
    /// <param name="serviceName">The host's <c>service.name</c>: <c>sweepcluster-coordinator</c>, <c>sweepcluster-silo</c>, ...</param>
    /// <param name="environment">The variables to read; the process environment when null (tests pass their own).</param>
    public static IServiceCollection AddSweepClusterTelemetry(this IServiceCollection services, string serviceName, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<PrometheusMetrics>();
        if (OtlpSettings.FromEnvironment(serviceName, environment) is not { } otlp)
        {
            return services;
        }

        services.AddSingleton(otlp);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(otlp.ServiceName))
            .WithMetrics(metrics => metrics
                .AddMeter(SweepClusterTelemetry.Name, "Microsoft.Orleans")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, otlp.MetricsEndpoint, otlp);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.MetricExportInterval.TotalMilliseconds;
                }))
            .WithTracing(tracing => tracing
                .AddSource(SweepClusterTelemetry.Name, OrleansActivitySources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(exporter => Configure(exporter, otlp.TracesEndpoint, otlp)));
        return services;
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpSettings otlp)
    {
        options.Endpoint = endpoint;
        options.Protocol = otlp.Protocol;
        if (otlp.Headers is not null)
        {
            options.Headers = otlp.Headers;
        }
    }
}
