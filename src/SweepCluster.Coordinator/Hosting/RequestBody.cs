using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>
/// Reads request bodies with a size limit. Bodies are read here rather than bound by the framework
/// so that every malformed body gets a 400 ProblemDetails that names the offending field.
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads at most <paramref name="limit"/> bytes; null and an error (413) when the body is larger.</summary>
    public static async Task<(byte[]? Bytes, ProblemHttpResult? Error)> ReadBytesAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength is { } declared && declared > limit)
        {
            return (null, Problems.TooLarge(limit));
        }

        // The server's own limit is raised (or lowered) to this endpoint's, where the server allows it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, Problems.TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>Reads and parses a JSON body; a malformed body is a 400 naming the JSON path where parsing failed.</summary>
    public static async Task<(T? Value, ProblemHttpResult? Error)> ReadJsonAsync<T>(HttpRequest request, long limit, JsonSerializerOptions json, CancellationToken cancellationToken)
        where T : class
    {
        var (bytes, error) = await ReadBytesAsync(request, limit, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        if (bytes!.Length == 0)
        {
            return (null, Problems.Invalid("$", "A JSON body is required."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(bytes, json);
            return value is null
                ? (null, Problems.Invalid("$", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path.StartsWith("$.", StringComparison.Ordinal) ? exception.Path[2..] : exception.Path;
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
            return (null, Problems.Invalid(field, $"{field} is not valid{where}: {FirstSentence(exception.Message)}"));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
