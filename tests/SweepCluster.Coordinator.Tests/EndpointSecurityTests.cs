using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// Every mapped endpoint, found through the endpoint data source (so a new endpoint cannot escape),
/// answers 401 without a token or with a wrong one, and 403 with the other role's token.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class EndpointSecurityTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    private const string WrongToken = "not-a-token-of-this-coordinator";

    [Fact]
    public async Task Every_endpoint_but_health_needs_a_token_of_its_role()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count >= 17, $"only {endpoints.Count} endpoints were found: {string.Join(", ", endpoints)}");
        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            if (pattern == "/healthz")
            {
                continue;
            }

            var path = RouteParameter().Replace(pattern, "1");
            var ownRole = path.StartsWith("/api/silos", StringComparison.Ordinal) ? CoordinatorApiFixture.SiloToken : CoordinatorApiFixture.UserToken;
            var otherRole = ownRole == CoordinatorApiFixture.SiloToken ? CoordinatorApiFixture.UserToken : CoordinatorApiFixture.SiloToken;
            await Expect(failures, method, path, null, HttpStatusCode.Unauthorized);
            await Expect(failures, method, path, WrongToken, HttpStatusCode.Unauthorized);
            await Expect(failures, method, path, otherRole, HttpStatusCode.Forbidden);

            // The right role gets past authorization (the dummy ids then fail validation or lookup).
            var allowed = await SendAsync(method, path, ownRole);
            if (allowed.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                failures.Add($"{method} {path} with its own role: {(int)allowed.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Unauthorized_answer_is_a_problem_with_a_bearer_challenge()
    {
        var response = await SendAsync("GET", "/api/sweeps", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var forbidden = await SendAsync("GET", "/api/sweeps", CoordinatorApiFixture.SiloToken);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_is_the_only_anonymous_endpoint()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/healthz", null)).StatusCode);
        Assert.Contains(("GET", "/healthz"), Endpoints());
    }

    private List<(string Method, string Pattern)> Endpoints()
    {
        var source = fixture.Factory.Services.GetRequiredService<EndpointDataSource>();
        return [.. source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'))))
            .Distinct()];
    }

    private async Task Expect(List<string> failures, string method, string path, string? token, HttpStatusCode expected)
    {
        var response = await SendAsync(method, path, token);
        if (response.StatusCode != expected)
        {
            failures.Add($"{method} {path} with {(token is null ? "no token" : token == WrongToken ? "a wrong token" : "the other role's token")}: {(int)response.StatusCode}, expected {(int)expected}");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string method, string path, string? token)
    {
        var client = fixture.Client(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
