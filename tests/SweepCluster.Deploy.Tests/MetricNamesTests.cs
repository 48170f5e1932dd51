using System.Text.Json;
using SweepCluster.Telemetry;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

/// <summary>
/// Every PromQL query in the dashboards and alert rules selects only series that the live <c>/metrics</c> of a
/// coordinator and a trainer silo (<see cref="LiveCluster"/>) expose.
/// </summary>
[Trait("Category", "Integration")]
[Collection(LiveClusterCollection.Name)]
public sealed class MetricNamesTests(LiveCluster cluster)
{
    // Series Prometheus itself adds to every scrape target.
    private static readonly string[] PrometheusSeries = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

    [Fact]
    public void Extractor_finds_metric_names_and_skips_functions_labels_and_keywords()
    {
        var names = PromQlMetricNames.Extract(
            "histogram_quantile(0.95, sum by (le, device) (rate(a_bucket{le=\"0.1\",x=~\"$sweep\"}[5m]))) / on (sweep) b_total unless c or up == 0");

        Assert.Equal(["a_bucket", "b_total", "c", "up"], names.Order());
    }

    [Fact]
    public async Task Dashboard_queries_use_only_exported_metric_names()
    {
        var exported = await ExposedSeriesNamesAsync();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Repo.Path("deploy", "grafana"), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var expression in DashboardExpressions(document.RootElement))
            {
                var names = PromQlMetricNames.Extract(expression);
                Assert.True(names.Count > 0, $"{Path.GetFileName(file)}: no metric in '{expression}'");
                foreach (var name in names)
                {
                    Assert.True(exported.Contains(name), $"{Path.GetFileName(file)}: '{name}' in '{expression}' is not exported");
                    used.Add(name);
                }
            }
        }

        // The dashboards show the trial curves, the GPUs, the slots of the cluster's members and the Orleans cluster itself.
        Assert.Contains("sweepcluster_sweepcluster_trial_psnr", used);
        Assert.Contains("sweepcluster_sweepcluster_gpu_memory_used", used);
        Assert.Contains("sweepcluster_sweepcluster_silo_slots", used);
        Assert.Contains("microsoft_orleans_orleans_catalog_activations", used);
        Assert.Contains("microsoft_orleans_orleans_consistent_ring_size", used);
        Assert.Contains("microsoft_orleans_orleans_app_requests_latency_bucket", used);
    }

    [Fact]
    public async Task Alert_rules_use_only_exported_metric_names()
    {
        var exported = await ExposedSeriesNamesAsync();
        var rules = LoadYaml(Repo.Path("deploy", "prometheus", "alerts.yml"));
        var expressions = ((YamlSequenceNode)rules["groups"]).Children
            .SelectMany(g => ((YamlSequenceNode)((YamlMappingNode)g)["rules"]).Children)
            .Select(r => ((YamlScalarNode)((YamlMappingNode)r)["expr"]).Value!)
            .ToList();

        Assert.Equal(3, expressions.Count);
        foreach (var expression in expressions)
        {
            foreach (var name in PromQlMetricNames.Extract(expression))
            {
                Assert.True(exported.Contains(name), $"alerts.yml: '{name}' in '{expression}' is not exported");
            }
        }
    }

    [Fact]
    public async Task A_misspelt_or_renamed_metric_would_be_caught()
    {
        var exported = await ExposedSeriesNamesAsync();

        // The names the hand-written exporter used to write are not exposed any more.
        Assert.DoesNotContain("sweepcluster_trial_psnr_decibels", exported);
        Assert.DoesNotContain("sweepcluster_attempt_retries_total", exported);
        Assert.Contains("sweepcluster_sweepcluster_trial_psnr", exported);
    }

    /// <summary>
    /// The series names of both live endpoints, each scraped twice (a request's own metrics show from the second scrape
    /// on), after one measurement of each of our event instruments: their series appear with their first measurement.
    /// </summary>
    private async Task<HashSet<string>> ExposedSeriesNamesAsync()
    {
        var sweep = "names-" + Guid.NewGuid().ToString("N")[..8];
        SweepClusterTelemetry.RecordAttempt(sweep, "succeeded", TimeSpan.FromMinutes(3));
        SweepClusterTelemetry.RecordTrainStep("cpu", TimeSpan.FromMilliseconds(30));
        SweepClusterTelemetry.RecordAttemptRetry(sweep, "lost");
        SweepClusterTelemetry.RecordReportRefused(sweep, "stale_attempt");
        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, 3);
        SweepClusterTelemetry.SetGpuMemorySource(() => [new GpuMemoryUsage("live-silo", "cuda:0", 1 << 20)]);
        SweepClusterTelemetry.TrialMetrics.RecordLoss(sweep, sweep + "-t0", "config-0", "cross", 0.5);
        SweepClusterTelemetry.TrialMetrics.RecordPsnr(sweep, sweep + "-t0", "config-0", 25);
        SweepClusterTelemetry.TrialMetrics.RecordLeakage(sweep, sweep + "-t0", "config-0", 0.1);
        try
        {
            var names = new HashSet<string>(PrometheusSeries, StringComparer.Ordinal);
            foreach (var endpoint in new[] { cluster.Coordinator, cluster.Silo, cluster.Coordinator, cluster.Silo })
            {
                foreach (var line in (await LiveCluster.ScrapeAsync(endpoint)).Split('\n'))
                {
                    if (line.Length > 0 && line[0] != '#')
                    {
                        names.Add(line[..line.IndexOfAny(['{', ' '])]);
                    }
                }
            }

            return names;
        }
        finally
        {
            SweepClusterTelemetry.SetGpuMemorySource(null);
            SweepClusterTelemetry.TrialMetrics.Remove(sweep + "-t0");
        }
    }

    private static IEnumerable<string> DashboardExpressions(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return target.GetProperty("expr").GetString()!;
            }
        }

        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.TryGetProperty("query", out var query) && query.ValueKind == JsonValueKind.Object)
            {
                // label_values(metric, label): the metric is what must exist.
                var text = query.GetProperty("query").GetString()!;
                yield return text.Replace("label_values(", "(", StringComparison.Ordinal).Split(',')[0] + ")";
            }
        }
    }

    private static YamlMappingNode LoadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
