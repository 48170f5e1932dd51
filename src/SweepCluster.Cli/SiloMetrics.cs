using System.Globalization;
using System.Net;
using SweepCluster.Telemetry;

namespace SweepCluster.Cli;

/// <summary>
/// A silo's own <c>/metrics</c> endpoint (Prometheus text), when <c>--metrics-listen</c> asks for one; it needs a
/// bearer token like every coordinator endpoint but <c>/healthz</c>.
/// </summary>
internal sealed class SiloMetrics : IAsyncDisposable
{
    private readonly PrometheusExporter? _exporter;
    private readonly MetricsHttpServer? _server;

    private SiloMetrics(PrometheusExporter? exporter, MetricsHttpServer? server)
    {
        _exporter = exporter;
        _server = server;
    }

    public static Task<SiloMetrics> StartAsync(string? listen, string siloId, string? token)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return Task.FromResult(new SiloMetrics(null, null));
        }

        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new UsageException($"--metrics-listen '{listen}': expected host:port, for example 0.0.0.0:9464");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException(
                $"--metrics-listen needs the token scrapers must send: set {Commands.ClusterCommands.MetricsTokenVariable} or give --metrics-token-file (the deployment uses the user token)");
        }

        var host = listen[..colon];
        IPAddress? address = host is "*" or "0.0.0.0" ? IPAddress.Any : null;
        if (address is null && !IPAddress.TryParse(host, out address))
        {
            throw new UsageException($"--metrics-listen '{listen}': '{host}' is not an IP address; use 0.0.0.0 for every interface");
        }

        var exporter = new PrometheusExporter();
        var server = new MetricsHttpServer(exporter, address, port, token);
        server.Start();
        Console.WriteLine($"silo {siloId}: /metrics on {host}:{server.Port}");
        return Task.FromResult(new SiloMetrics(exporter, server));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _exporter?.Dispose();
    }
}
