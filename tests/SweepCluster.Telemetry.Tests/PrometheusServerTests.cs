using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace SweepCluster.Telemetry.Tests;

/// <summary>A real Prometheus server scrapes the exporter; the values it stores are the ones we exported.</summary>
[Trait("Category", "Integration")]
public sealed class PrometheusServerTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Prometheus_scrapes_the_exporter_and_returns_the_exported_counter_and_histogram_count()
    {
        Assert.True(
            File.Exists(PrometheusBinary),
            $"{PrometheusBinary} is missing: install Debian's Prometheus with `apt-get install -y prometheus` (as root), as CI does.");

        using var meter = new Meter("Test.PromServer." + Guid.NewGuid().ToString("N"));
        using var exporter = new PrometheusExporter(meter.Name);
        meter.CreateCounter<long>("it.reports.refused", "{report}", "Refused reports.")
            .Add(42, new KeyValuePair<string, object?>("reason", "stale \"attempt\"\\x"));
        var histogram = meter.CreateHistogram(
            "it.claim.duration", "s", "Claim time.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1] });
        histogram.Record(0.005);
        histogram.Record(0.05);
        histogram.Record(3);

        // As deployed: /metrics needs a token, and Prometheus reads it from a file (deploy/prometheus/prometheus.yml).
        const string Token = "prometheus-scrape-token-0123456789";
        await using var server = new MetricsHttpServer(exporter, IPAddress.Loopback, 0, Token);
        server.Start();

        var directory = Directory.CreateTempSubdirectory("sweepcluster-prom-");
        var tokenFile = Path.Combine(directory.FullName, "token");
        await File.WriteAllTextAsync(tokenFile, Token);
        var prometheusPort = FreePort.Next();
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: sweepcluster-test
                authorization:
                  type: Bearer
                  credentials_file: {tokenFile}
                static_configs:
                  - targets: ["127.0.0.1:{server.Port}"]
            """);

        var output = new StringBuilder();
        using var prometheus = new Process
        {
            StartInfo = new ProcessStartInfo(PrometheusBinary)
            {
                ArgumentList =
                {
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
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
            var counter = await PollAsync(client, api + Uri.EscapeDataString("it_reports_refused_total{reason=\"stale \\\"attempt\\\"\\\\x\"}"), "42", prometheus, output);
            var count = await PollAsync(client, api + Uri.EscapeDataString("it_claim_duration_seconds_count"), "3", prometheus, output);
            var bucket = await PollAsync(client, api + Uri.EscapeDataString("it_claim_duration_seconds_bucket{le=\"0.1\"}"), "2", prometheus, output);
            var sum = await PollAsync(client, api + Uri.EscapeDataString("it_claim_duration_seconds_sum"), "3.055", prometheus, output);

            Assert.Equal("42", counter);
            Assert.Equal("3", count);
            Assert.Equal("2", bucket);
            Assert.Equal(3.055, double.Parse(sum, CultureInfo.InvariantCulture), 9);
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                // Stopped by its own PID, never by name.
                prometheus.Kill();
                await prometheus.WaitForExitAsync();
            }

            directory.Delete(recursive: true);
        }
    }

    /// <summary>Queries until the first result's value equals <paramref name="expected"/> or the deadline passes; returns the last value seen.</summary>
    private static async Task<string> PollAsync(HttpClient client, string url, string expected, Process prometheus, StringBuilder output)
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
                    if (last == expected || (double.TryParse(last, CultureInfo.InvariantCulture, out var a) &&
                        double.TryParse(expected, CultureInfo.InvariantCulture, out var b) && Math.Abs(a - b) < 1e-9))
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

        Assert.Fail($"{url} did not return {expected} within {Deadline.TotalSeconds} s (last: {last}). Prometheus said:\n{Tail(output)}");
        return last;
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
