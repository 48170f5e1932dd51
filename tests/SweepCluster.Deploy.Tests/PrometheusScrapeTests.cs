using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SweepCluster.Telemetry;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// A real Prometheus (Debian's 2.42) scrapes the live coordinator and trainer silo with the bearer token, as
/// <c>deploy/prometheus/prometheus.yml</c> does, and its queries return what the hosts exposed.
/// </summary>
[Trait("Category", "Integration")]
[Collection(LiveClusterCollection.Name)]
public sealed class PrometheusScrapeTests(LiveCluster cluster, Xunit.Abstractions.ITestOutputHelper log)
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_scrapes_coordinator_and_silo_and_queries_a_counter_a_bucket_an_orleans_and_a_runtime_series()
    {
        DeployTools.RequireBinary(PrometheusBinary, "install Debian's Prometheus with `apt-get install -y prometheus` (as root), as CI does.");
        var sweep = "prom-" + Guid.NewGuid().ToString("N")[..8];
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "failed");
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "failed");
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "failed");
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromSeconds(20));
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromSeconds(45));
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromMinutes(10));

        using var directory = new SweepCluster.Testing.TempDirectory("sweepcluster-prom-");
        var tokenFile = directory.Write("token", LiveCluster.Token);
        var prometheusPort = FreePort();
        var config = directory.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sweepcluster-coordinator
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{cluster.Coordinator.Authority}"]
              - job_name: sweepcluster-silo
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["{cluster.Silo.Authority}"]
            """);

        var output = new StringBuilder();
        using var prometheus = new Process
        {
            StartInfo = new ProcessStartInfo(PrometheusBinary)
            {
                ArgumentList =
                {
                    $"--config.file={config}",
                    $"--storage.tsdb.path={directory.File("data")}",
                    $"--web.listen-address=127.0.0.1:{prometheusPort}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        prometheus.OutputDataReceived += (_, e) => Append(output, e.Data);
        prometheus.ErrorDataReceived += (_, e) => Append(output, e.Data);
        Assert.True(prometheus.Start());
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var api = $"http://127.0.0.1:{prometheusPort}/api/v1/query?query=";
            async Task<string> Query(string promQl, Func<string, bool> accept, string expected) =>
                await PollAsync(client, api + Uri.EscapeDataString(promQl), accept, expected, prometheus, output);

            // Both targets up: the token was accepted.
            var up = await Query("sum(up{job=~\"sweepcluster-.*\"})", v => v == "2", "2");
            // Our counter (the adapter's gauge of its running sum), read from each target.
            var counter = await Query($"max(sweepcluster_sweepcluster_attempt_retries{{sweep=\"{sweep}\",reason=\"failed\",job=\"sweepcluster-silo\"}})", v => v == "3", "3");
            // A histogram bucket with our bounds: two of three attempts took at most 60 s. (Prometheus asks for
            // OpenMetrics, in which prometheus-net writes the bound as 60.0.)
            var bucket = await Query($"max(sweepcluster_sweepcluster_attempt_duration_bucket{{sweep=\"{sweep}\",le=~\"60(\\\\.0)?\",job=\"sweepcluster-coordinator\"}})", v => v == "2", "2");
            // Orleans' own: the coordinator and the silo in the ring, as the silo sees it.
            var ring = await Query("max(microsoft_orleans_orleans_consistent_ring_size{job=\"sweepcluster-silo\"})", v => v == "2", "2");
            // The runtime's: both processes report a working set.
            var workingSet = await Query("count(system_runtime_dotnet_process_memory_working_set > 0)", v => v == "2", "2");

            Assert.Equal(("2", "3", "2", "2", "2"), (up, counter, bucket, ring, workingSet));
            foreach (var job in new[] { "sweepcluster-coordinator", "sweepcluster-silo" })
            {
                var samples = await Query($"scrape_samples_scraped{{job=\"{job}\"}}", _ => true, "a number");
                var seconds = await Query($"scrape_duration_seconds{{job=\"{job}\"}}", _ => true, "a number");
                log.WriteLine($"{job}: {samples} samples per scrape, scraped in {double.Parse(seconds, CultureInfo.InvariantCulture) * 1000:F1} ms");
            }
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                // Stopped by its own PID, never by name.
                prometheus.Kill();
                await prometheus.WaitForExitAsync();
            }
        }
    }

    /// <summary>Queries until the first result's value is accepted or the deadline passes; returns the last value seen.</summary>
    private static async Task<string> PollAsync(HttpClient client, string url, Func<string, bool> accept, string expected, Process prometheus, StringBuilder output)
    {
        var stopwatch = Stopwatch.StartNew();
        var last = "(no answer)";
        while (stopwatch.Elapsed < Deadline)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited with {(prometheus.HasExited ? prometheus.ExitCode : 0)}:\n{Tail(output)}");
            try
            {
                using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri(url)));
                var result = document.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    last = result[0].GetProperty("value")[1].GetString()!;
                    if (accept(last))
                    {
                        return last;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
            }

            // Polling an external process: the scrape interval is 1 s, so look four times a second.
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        Assert.Fail($"{Uri.UnescapeDataString(url)} did not return {expected} within {Deadline.TotalSeconds} s (last: {last}). Prometheus said:\n{Tail(output)}");
        return last;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Tail(StringBuilder output)
    {
        lock (output)
        {
            var text = output.ToString();
            return text.Length > 4000 ? text[^4000..] : text;
        }
    }
}
