using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Coordinator.Tests;

/// <summary>
/// Every mapped endpoint, found through the endpoint data source (so a new endpoint cannot escape), answers 401 without
/// a token or with a wrong one, and 403 with the silo token: the API is the user's alone. Silos talk to the cluster
/// through Orleans; none of them can read an artifact (or anything else) over HTTP.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class EndpointSecurityTests(CoordinatorApiFixture fixture) : IClassFixture<CoordinatorApiFixture>
{
    private const string WrongToken = "not-a-token-of-this-coordinator";

    /// <summary>
    /// The web page's public parts: the page address (which sends a browser without the user token to the login form),
    /// the login form, the page's code and styles, and the licences. None of them carries data.
    /// </summary>
    private static readonly HashSet<string> WebPagePublic = new(StringComparer.Ordinal) { "/", "/login", "/assets/{**path}", "/licenses" };

    [Fact]
    public async Task Every_endpoint_but_health_needs_the_user_token()
    {
        var endpoints = Endpoints();
        Assert.True(endpoints.Count >= 14, $"only {endpoints.Count} endpoints were found: {string.Join(", ", endpoints)}");
        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            if (pattern == "/healthz" || WebPagePublic.Contains(pattern))
            {
                continue;
            }

            var path = RouteParameter().Replace(pattern, "1");
            await Expect(failures, method, path, null, HttpStatusCode.Unauthorized);
            await Expect(failures, method, path, WrongToken, HttpStatusCode.Unauthorized);
            await Expect(failures, method, path, CoordinatorApiFixture.SiloToken, HttpStatusCode.Forbidden);

            // The user gets past authorization (the dummy ids then fail validation or lookup). The dashboard's live log
            // stream is turned off (HideTrace): the dashboard itself forbids it to everyone.
            var allowed = await SendAsync(method, path, CoordinatorApiFixture.UserToken);
            if (allowed.StatusCode is HttpStatusCode.Unauthorized || (allowed.StatusCode is HttpStatusCode.Forbidden && path != "/dashboard/Trace"))
            {
                failures.Add($"{method} {path} with the user token: {(int)allowed.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void No_endpoint_is_left_for_silos()
    {
        Assert.DoesNotContain(Endpoints(), e => e.Pattern.StartsWith("/api/silos", StringComparison.Ordinal));
        var source = fixture.Factory.Services.GetRequiredService<EndpointDataSource>();
        var anonymous = source.Endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/')).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(["/", "/assets/{**path}", "/healthz", "/licenses", "/login"], anonymous);
    }

    [Fact]
    public async Task Artifact_bytes_are_readable_with_the_user_token_only()
    {
        var user = fixture.User();
        var sweepId = "sweep-" + Guid.NewGuid().ToString("N")[..10];
        var trialId = $"{sweepId}-t0";
        await user.PostJsonAsync("/api/sweeps", CoordinatorApiFixture.SweepBody(sweepId, "secure"));
        var grain = fixture.Grains.GetGrain<ITrialGrain>(trialId);
        var placed = await grain.PlaceAsync(new AttemptPlacement
        {
            SiloId = fixture.SiloId,
            Attempt = 1,
            SlotIds = ["cpu0"],
            Definition = new TrialDefinition { SweepId = sweepId, MaxAttempts = 3, ConfigName = "config-0" },
        });
        Assert.True(placed.Accepted, placed.Message);
        var stored = await grain.PutArtifactAsync(new AttemptArtifact { Attempt = 1, SiloId = fixture.SiloId, Kind = "checkpoint", Name = "c.pt", Content = [4, 2], Step = 1 });
        Assert.True(stored.Accepted, stored.Message);
        var path = $"/api/trials/{trialId}/artifacts/{stored.ArtifactId}";

        Assert.Equal([4, 2], await (await SendAsync("GET", path, CoordinatorApiFixture.UserToken)).Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("GET", path, CoordinatorApiFixture.SiloToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", path, WrongToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync("GET", path, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync("GET", $"/api/trials/{trialId}/artifacts", CoordinatorApiFixture.SiloToken)).StatusCode);
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
    public async Task The_Orleans_dashboard_answers_the_user_token_only()
    {
        var page = await SendAsync("GET", "/dashboard/", CoordinatorApiFixture.UserToken);
        var anonymous = await SendAsync("GET", "/dashboard/", null);
        var silo = await SendAsync("GET", "/dashboard/", CoordinatorApiFixture.SiloToken);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden), (anonymous.StatusCode, silo.StatusCode));
    }

    [Fact]
    public async Task The_web_page_sends_anyone_without_the_user_token_to_the_login_form()
    {
        foreach (var token in new[] { null, WrongToken, CoordinatorApiFixture.SiloToken })
        {
            var page = await SendAsync("GET", "/", token);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location?.OriginalString);
        }

        var form = await SendAsync("GET", "/login", null);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Contains("name=\"token\"", await form.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var user = await SendAsync("GET", "/", CoordinatorApiFixture.UserToken);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Contains("/assets/app.js", await user.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/assets/app.js", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("GET", "/assets/index.html", null)).StatusCode);

        // The silo token signs nobody in.
        using var login = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", CoordinatorApiFixture.SiloToken)]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Client(null).PostAsync("/login", login)).StatusCode);
    }

    [Fact]
    public async Task Health_answers_without_a_token()
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
            failures.Add($"{method} {path} with {(token is null ? "no token" : token == WrongToken ? "a wrong token" : "the silo token")}: {(int)response.StatusCode}, expected {(int)expected}");
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
