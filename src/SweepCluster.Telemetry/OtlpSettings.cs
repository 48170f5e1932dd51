using System.Collections;
using System.Globalization;
using OpenTelemetry.Exporter;

namespace SweepCluster.Telemetry;

/// <summary>Where and how OTLP export sends metrics and traces, read from the standard OpenTelemetry variables.</summary>
/// <param name="ServiceName">The <c>service.name</c> resource attribute.</param>
/// <param name="MetricsEndpoint">Where metrics are sent.</param>
/// <param name="TracesEndpoint">Where traces are sent.</param>
/// <param name="Protocol">http/protobuf or gRPC.</param>
/// <param name="Headers">Extra request headers, <c>k=v,k2=v2</c>, or null.</param>
/// <param name="MetricExportInterval">How often metrics are exported.</param>
public sealed record OtlpSettings(string ServiceName, Uri MetricsEndpoint, Uri TracesEndpoint, OtlpExportProtocol Protocol, string? Headers, TimeSpan MetricExportInterval)
{
    /// <summary>
    /// The settings when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, else null. Also read: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
    /// (<c>http/protobuf</c>, the specification's default and ours, or <c>grpc</c>); <c>OTEL_EXPORTER_OTLP_HEADERS</c>;
    /// <c>OTEL_METRIC_EXPORT_INTERVAL</c> (milliseconds, default 60000); <c>OTEL_SERVICE_NAME</c>, which overrides
    /// <paramref name="serviceName"/>. With http/protobuf the signal paths <c>/v1/metrics</c> and <c>/v1/traces</c> are
    /// appended to the endpoint, as the specification says for the base endpoint variable. A malformed value throws,
    /// naming the variable.
    /// </summary>
    /// <param name="serviceName">The host's service name, e.g. <c>sweepcluster-coordinator</c>.</param>
    /// <param name="environment">The variables to read; the process environment when null (tests pass their own).</param>
    public static OtlpSettings? FromEnvironment(string serviceName, IReadOnlyDictionary<string, string?>? environment = null)
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
        var intervalText = Get(environment, "OTEL_METRIC_EXPORT_INTERVAL");
        var interval = 60000;
        if (intervalText is not null && (!int.TryParse(intervalText, NumberStyles.None, CultureInfo.InvariantCulture, out interval) || interval <= 0))
        {
            throw new ArgumentException($"OTEL_METRIC_EXPORT_INTERVAL must be a positive number of milliseconds; got '{intervalText}'.", nameof(environment));
        }

        return new OtlpSettings(
            Get(environment, "OTEL_SERVICE_NAME") ?? serviceName,
            SignalEndpoint(endpoint, protocol, "v1/metrics"),
            SignalEndpoint(endpoint, protocol, "v1/traces"),
            protocol,
            Get(environment, "OTEL_EXPORTER_OTLP_HEADERS"),
            TimeSpan.FromMilliseconds(interval));
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
