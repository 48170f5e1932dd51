using System.Collections;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SweepCluster.Telemetry;

/// <summary>Starts OTLP export of the SweepCluster meter and activity source when the standard environment asks for it.</summary>
public static class TelemetrySetup
{
    /// <summary>
    /// When <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, starts OpenTelemetry providers that export the
    /// <c>SweepCluster</c> meter and activity source to it, and returns them (dispose on shutdown); otherwise returns null.
    /// </summary>
    /// <param name="serviceName">The <c>service.name</c> resource attribute (e.g. <c>sweepcluster-coordinator</c>);
    /// <c>OTEL_SERVICE_NAME</c> overrides it.</param>
    /// <param name="environment">The variables to read; the process environment when null (tests pass their own).</param>
    /// <remarks>
    /// Also read: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> (<c>http/protobuf</c>, the specification's default and ours, or
    /// <c>grpc</c>); <c>OTEL_EXPORTER_OTLP_HEADERS</c> (<c>k=v,k2=v2</c>); <c>OTEL_METRIC_EXPORT_INTERVAL</c>
    /// (milliseconds, default 60000). With http/protobuf the signal paths <c>/v1/metrics</c> and <c>/v1/traces</c> are
    /// appended to the endpoint, as the specification says for the base endpoint variable.
    /// </remarks>
    public static OtlpTelemetry? AddOtlpIfConfigured(string serviceName, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        environment ??= ProcessEnvironment();
        var endpointText = Get(environment, "OTEL_EXPORTER_OTLP_ENDPOINT");
        if (endpointText is null)
        {
            return null;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http(s) URL; got '{endpointText}'.", nameof(environment));
        }

        var protocolText = Get(environment, "OTEL_EXPORTER_OTLP_PROTOCOL") ?? "http/protobuf";
        var protocol = protocolText switch
        {
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            "grpc" => OtlpExportProtocol.Grpc,
            _ => throw new ArgumentException($"OTEL_EXPORTER_OTLP_PROTOCOL must be 'http/protobuf' or 'grpc'; got '{protocolText}'.", nameof(environment)),
        };
        var headers = Get(environment, "OTEL_EXPORTER_OTLP_HEADERS");
        var intervalText = Get(environment, "OTEL_METRIC_EXPORT_INTERVAL");
        var interval = 60000;
        if (intervalText is not null && (!int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval <= 0))
        {
            throw new ArgumentException($"OTEL_METRIC_EXPORT_INTERVAL must be a positive number of milliseconds; got '{intervalText}'.", nameof(environment));
        }

        var metricsEndpoint = SignalEndpoint(endpoint, protocol, "v1/metrics");
        var tracesEndpoint = SignalEndpoint(endpoint, protocol, "v1/traces");
        var service = Get(environment, "OTEL_SERVICE_NAME") ?? serviceName;

        var meterProvider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(service))
            .AddMeter(SweepClusterTelemetry.Name)
            .AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, metricsEndpoint, protocol, headers);
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
            })
            .Build();
        var tracerProvider = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService(service))
            .AddSource(SweepClusterTelemetry.Name)
            .AddOtlpExporter(exporter => Configure(exporter, tracesEndpoint, protocol, headers))
            .Build();
        return new OtlpTelemetry(meterProvider, tracerProvider, metricsEndpoint, tracesEndpoint);
    }

    private static void Configure(OtlpExporterOptions options, Uri endpoint, OtlpExportProtocol protocol, string? headers)
    {
        options.Endpoint = endpoint;
        options.Protocol = protocol;
        if (headers is not null)
        {
            options.Headers = headers;
        }
    }

    private static Uri SignalEndpoint(Uri endpoint, OtlpExportProtocol protocol, string signalPath)
    {
        if (protocol == OtlpExportProtocol.Grpc)
        {
            return endpoint;
        }

        var text = endpoint.AbsoluteUri;
        return new Uri(text.EndsWith('/') ? text + signalPath : text + "/" + signalPath);
    }

    private static string? Get(IReadOnlyDictionary<string, string?> environment, string name) =>
        environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }
}
