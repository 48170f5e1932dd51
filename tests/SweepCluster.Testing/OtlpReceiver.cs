using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SweepCluster.Testing;

/// <summary>
/// An OTLP/HTTP receiver on loopback: accepts every POST, remembers its path, content type and body, and reads the
/// spans out of the trace exports (scope, name, trace id, span id, parent span id) with a minimal protobuf reader.
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public OtlpReceiver()
    {
        Port = FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>The base endpoint to give as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; } = new();

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans() =>
        [.. Requests.Where(r => r.Path == "/v1/traces").SelectMany(r => ReadSpans(r.Body))];

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener's disposal exception; nothing to report.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            // An empty Export*ServiceResponse message is a full success.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.ContentLength64 = 0;
            context.Response.Close();
        }
    }

    // ExportTraceServiceRequest { 1: ResourceSpans { 2: ScopeSpans { 1: InstrumentationScope { 1: name }, 2: Span } } }
    // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name }
    private static IEnumerable<OtlpSpan> ReadSpans(byte[] request)
    {
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))
        {
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))
            {
                var scope = "";
                var spans = new List<byte[]>();
                foreach (var field in Fields(scopeSpans.Bytes))
                {
                    if (field.Number == 1)
                    {
                        scope = Text(Fields(field.Bytes).FirstOrDefault(f => f.Number == 1).Bytes);
                    }
                    else if (field.Number == 2)
                    {
                        spans.Add(field.Bytes);
                    }
                }

                foreach (var span in spans)
                {
                    var fields = Fields(span).ToList();
                    yield return new OtlpSpan(
                        scope,
                        Text(fields.FirstOrDefault(f => f.Number == 5).Bytes),
                        Convert.ToHexStringLower(fields.FirstOrDefault(f => f.Number == 1).Bytes ?? []),
                        Convert.ToHexStringLower(fields.FirstOrDefault(f => f.Number == 2).Bytes ?? []),
                        Convert.ToHexStringLower(fields.FirstOrDefault(f => f.Number == 4).Bytes ?? []));
                }
            }
        }
    }

    private static string Text(byte[]? bytes) => bytes is null ? "" : System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>The length-delimited fields of one message (varint and fixed fields are skipped).</summary>
    private static IEnumerable<(int Number, byte[] Bytes)> Fields(byte[]? message)
    {
        if (message is null)
        {
            yield break;
        }

        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    yield return (number, message[position..(position + length)]);
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7} at byte {position}");
            }
        }
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
