using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace SweepCluster.Telemetry;

/// <summary>Maps <c>GET /metrics</c>: the host's <see cref="PrometheusMetrics"/> registry, written by prometheus-net.</summary>
public static class MetricsEndpoints
{
    /// <summary>
    /// Maps <c>GET /metrics</c> to prometheus-net's exporter of the registered <see cref="PrometheusMetrics"/>.
    /// With <paramref name="bearerToken"/>, a request without <c>Authorization: Bearer</c> and that token (compared in
    /// constant time) gets 401 and nothing is collected; a host with its own authorization passes null and requires it
    /// on the returned builder instead.
    /// </summary>
    public static IEndpointConventionBuilder MapSweepClusterMetrics(this IEndpointRouteBuilder endpoints, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (bearerToken is not null && string.IsNullOrWhiteSpace(bearerToken))
        {
            throw new ArgumentException("A bearer token must not be empty.", nameof(bearerToken));
        }

        var metrics = endpoints.ServiceProvider.GetRequiredService<PrometheusMetrics>();
        var pipeline = endpoints.CreateApplicationBuilder();
        if (bearerToken is not null)
        {
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(bearerToken));
            pipeline.Use(next => context => Authorized(context.Request, expected) ? next(context) : ChallengeAsync(context.Response));
        }

        pipeline.UseMiddleware<MetricServerMiddleware>(new MetricServerMiddleware.Settings { Registry = metrics.Registry });
        return endpoints.MapMethods("/metrics", [HttpMethods.Get], pipeline.Build()).WithDisplayName("Prometheus metrics");
    }

    private static bool Authorized(HttpRequest request, byte[] expectedHash)
    {
        const string Scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes first: equal lengths, so the comparison time says nothing about the token.
        var offered = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(offered, expectedHash);
    }

    private static Task ChallengeAsync(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync("this /metrics needs Authorization: Bearer <token>\n");
    }
}
