using System.Net;
using SweepCluster.Telemetry;

namespace SweepCluster.Deploy.Tests;

/// <summary><c>/metrics</c> of the coordinator and of a silo: the token or 401, and a refused request collects nothing; <c>/healthz</c> stays open.</summary>
[Trait("Category", "Integration")]
[Collection(LiveClusterCollection.Name)]
public sealed class MetricsEndpointTests(LiveCluster cluster)
{
    [Fact]
    public async Task Metrics_without_the_token_get_401_and_collect_nothing_while_healthz_stays_open()
    {
        var reads = 0;
        SweepClusterTelemetry.SetGpuMemorySource(() =>
        {
            Interlocked.Increment(ref reads);
            return [new GpuMemoryUsage("live-silo", "cuda:0", 4096)];
        });
        try
        {
            foreach (var endpoint in new[] { cluster.Coordinator, cluster.Silo })
            {
                using var anonymous = LiveCluster.Client(endpoint, withToken: false);
                using var wrong = LiveCluster.Client(endpoint, withToken: false);
                wrong.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-token");

                var refused = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
                var refusedWrong = await wrong.GetAsync(new Uri("/metrics", UriKind.Relative));
                var health = await anonymous.GetAsync(new Uri("/healthz", UriKind.Relative));

                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal(HttpStatusCode.Unauthorized, refusedWrong.StatusCode);
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
                Assert.DoesNotContain("sweepcluster_", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                // No collection ran: the observable gauges' sources were not read.
                Assert.Equal(0, Volatile.Read(ref reads));
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("ok", await health.Content.ReadAsStringAsync());
            }

            var scraped = await LiveCluster.ScrapeAsync(cluster.Silo);
            Assert.True(Volatile.Read(ref reads) > 0, "a scrape with the token read no source");
            Assert.Contains("sweepcluster_sweepcluster_gpu_memory_used{silo=\"live-silo\",slot=\"cuda:0\"} 4096", scraped, StringComparison.Ordinal);
        }
        finally
        {
            SweepClusterTelemetry.SetGpuMemorySource(null);
        }
    }
}
