using System.Globalization;
using System.Net;

namespace SweepCluster.Cli;

/// <summary>
/// A silo's <c>--metrics-listen host:port</c>: where its <c>/metrics</c> (bearer token, like every coordinator endpoint
/// but <c>/healthz</c>) and <c>/healthz</c> listen.
/// </summary>
internal static class SiloMetrics
{
    /// <summary>The listen URL for <paramref name="listen"/>, or null when none was asked for; a bad address or a missing token is a usage error.</summary>
    public static string? Url(string? listen, string? token)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return null;
        }

        var colon = listen.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(listen.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new UsageException($"--metrics-listen '{listen}': expected host:port, for example 0.0.0.0:9464");
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            throw new UsageException(
                $"--metrics-listen needs the token scrapers must send: set {Commands.ClusterCommands.MetricsTokenVariable} or give --metrics-token-file (the deployment uses the user token)");
        }

        var host = listen[..colon];
        if (host is "*" or "0.0.0.0")
        {
            return $"http://0.0.0.0:{port}";
        }

        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            throw new UsageException($"--metrics-listen '{listen}': '{host}' is not an IP address; use 0.0.0.0 for every interface");
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"http://[{address}]:{port}" : $"http://{address}:{port}";
    }
}
