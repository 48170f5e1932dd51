using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SweepCluster.Telemetry;

/// <summary>
/// A minimal HTTP/1.1 server for processes without ASP.NET Core (silos): <c>GET /metrics</c> answers the
/// exporter's text, <c>GET /healthz</c> answers <c>ok</c>, anything else 404 (405 for other methods).
/// With a bearer token, <c>/metrics</c> answers 401 unless the request carries
/// <c>Authorization: Bearer</c> and that token (compared in constant time); <c>/healthz</c> stays open for probes.
/// </summary>
/// <remarks>
/// One request per connection (the response closes it), requests are handled concurrently, and a request head
/// larger than 8 KiB or slower than 10 seconds is dropped. Bind to <see cref="IPAddress.Loopback"/> on a laptop and
/// to <see cref="IPAddress.Any"/> in a pod so Prometheus can reach it. Port 0 picks a free port; read <see cref="Port"/>.
/// </remarks>
public sealed class MetricsHttpServer : IAsyncDisposable
{
    private const int MaxHeadBytes = 8192;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    private readonly PrometheusExporter _exporter;
    private readonly byte[]? _tokenHash;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _acceptLoop;

    /// <summary>Creates a server for <paramref name="exporter"/> on <paramref name="address"/>:<paramref name="port"/>; call <see cref="Start"/>.</summary>
    /// <param name="bearerToken">The token <c>/metrics</c> requires; null serves it to anyone who can connect.</param>
    public MetricsHttpServer(PrometheusExporter exporter, IPAddress address, int port, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(address);
        if (bearerToken is not null && string.IsNullOrWhiteSpace(bearerToken))
        {
            throw new ArgumentException("A bearer token must not be empty.", nameof(bearerToken));
        }

        _exporter = exporter;
        _tokenHash = bearerToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
        _listener = new TcpListener(address, port);
    }

    /// <summary>The bound port (the chosen one when constructed with port 0); valid after <see cref="Start"/>.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Binds the socket and starts accepting connections in the background.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, closes the socket and waits for the accept loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(HeadTimeout);
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);
                if (head is null)
                {
                    return;
                }

                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var method = parts[0];
                var path = parts.Length > 1 ? parts[1].Split('?')[0] : "";
                var (status, contentType, body) = (method, path) switch
                {
                    ("GET" or "HEAD", "/metrics") when !Authorized(lines) => ("401 Unauthorized", "text/plain; charset=utf-8", "this /metrics needs Authorization: Bearer <token>\n"),
                    ("GET" or "HEAD", "/metrics") => ("200 OK", PrometheusExporter.ContentType, _exporter.Collect()),
                    ("GET" or "HEAD", "/healthz") => ("200 OK", "text/plain; charset=utf-8", "ok\n"),
                    ("GET" or "HEAD", _) => ("404 Not Found", "text/plain; charset=utf-8", "not found\n"),
                    _ => ("405 Method Not Allowed", "text/plain; charset=utf-8", "method not allowed\n"),
                };
                var bodyBytes = Encoding.UTF8.GetBytes(body);
                var challenge = status.StartsWith("401", StringComparison.Ordinal) ? "WWW-Authenticate: Bearer\r\n" : string.Empty;
                var responseHead = Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\n{challenge}Connection: close\r\n\r\n");
                await stream.WriteAsync(responseHead, cancellationToken).ConfigureAwait(false);
                if (method != "HEAD")
                {
                    await stream.WriteAsync(bodyBytes, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // A scraper that hung up or a server shutting down ends only this connection.
            }
        }
    }

    /// <summary>Whether the request's headers carry the bearer token (always, when none is required).</summary>
    private bool Authorized(string[] headLines)
    {
        if (_tokenHash is null)
        {
            return true;
        }

        const string Scheme = "Bearer ";
        foreach (var line in headLines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                var value = line[(colon + 1)..].Trim();
                if (value.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
                {
                    // Hashes first: equal lengths, so the comparison time says nothing about the token.
                    var offered = SHA256.HashData(Encoding.UTF8.GetBytes(value[Scheme.Length..].Trim()));
                    return CryptographicOperations.FixedTimeEquals(offered, _tokenHash);
                }
            }
        }

        return false;
    }

    /// <summary>Reads the request head up to the blank line and returns it (without the blank line), or null when it is malformed.</summary>
    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var head = Encoding.ASCII.GetString(buffer, 0, length);
            if (head.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                return head[..head.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            }
        }

        return null;
    }
}
