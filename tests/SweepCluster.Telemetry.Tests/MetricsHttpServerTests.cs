using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SweepCluster.Telemetry.Tests;

[Trait("Category", "Integration")]
public sealed class MetricsHttpServerTests
{
    [Fact]
    public async Task Get_metrics_answers_the_exposition_with_its_content_type()
    {
        using var meter = new Meter("Test.Http." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("served").Add(7);
        await using var server = new MetricsHttpServer(exporter, IPAddress.Loopback, 0);
        server.Start();
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("# HELP served_total served\n# TYPE served_total counter\nserved_total 7\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_is_ok_unknown_paths_are_404_and_posts_are_405()
    {
        using var exporter = new PrometheusExporter("Test.Http.Empty." + Guid.NewGuid().ToString("N"));
        await using var server = new MetricsHttpServer(exporter, IPAddress.Loopback, 0);
        server.Start();
        using var client = new HttpClient();
        var root = $"http://127.0.0.1:{server.Port}";

        using var health = await client.GetAsync(new Uri(root + "/healthz"));
        using var missing = await client.GetAsync(new Uri(root + "/nope"));
        using var post = await client.PostAsync(new Uri(root + "/metrics"), new StringContent("x"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok\n", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_request_does_not_stop_the_server()
    {
        using var meter = new Meter("Test.Http." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(meter.Name);
        await using var server = new MetricsHttpServer(exporter, IPAddress.Loopback, 0);
        server.Start();
        using (var rude = new TcpClient())
        {
            await rude.ConnectAsync(IPAddress.Loopback, server.Port);
            await rude.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /metr"));
        }

        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_a_token_metrics_answers_401_without_it_or_with_another_and_healthz_stays_open()
    {
        using var meter = new Meter("Test.Http." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("served").Add(3);
        await using var server = new MetricsHttpServer(exporter, IPAddress.Loopback, 0, "scrape-token-0123456789");
        server.Start();
        using var client = new HttpClient();
        var metrics = new Uri($"http://127.0.0.1:{server.Port}/metrics");

        using var anonymous = await client.GetAsync(metrics);
        using var wrong = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, metrics) { Headers = { { "Authorization", "Bearer scrape-token-0123456780" } } });
        using var right = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, metrics) { Headers = { { "Authorization", "Bearer scrape-token-0123456789" } } });
        using var health = await client.GetAsync(new Uri($"http://127.0.0.1:{server.Port}/healthz"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);
        Assert.DoesNotContain("served", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("served_total 3", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
