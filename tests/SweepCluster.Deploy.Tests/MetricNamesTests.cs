using System.Text.Json;
using SweepCluster.Telemetry;
using YamlDotNet.RepresentationModel;

namespace SweepCluster.Deploy.Tests;

/// <summary>Every PromQL query in the dashboards and alert rules selects only series the exporter really writes.</summary>
[Trait("Category", "Unit")]
public sealed class MetricNamesTests
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
    public void Dashboard_queries_use_only_exported_metric_names()
    {
        var exported = ExportedSeriesNames();
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

        // The dashboards show every family but the ones only alerts need.
        Assert.Contains("sweepcluster_trial_psnr_decibels", used);
        Assert.Contains("sweepcluster_gpu_memory_used_bytes", used);
        Assert.Contains("sweepcluster_claim_duration_seconds_bucket", used);
    }

    [Fact]
    public void Alert_rules_use_only_exported_metric_names()
    {
        var exported = ExportedSeriesNames();
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
    public void A_misspelt_metric_would_be_caught()
    {
        var exported = ExportedSeriesNames();

        Assert.DoesNotContain("sweepcluster_trial_psnr", exported);
        Assert.Contains("sweepcluster_trial_psnr_decibels", exported);
    }

    /// <summary>The series names in the exporter's output for the real SweepCluster meter, histograms expanded.</summary>
    private static HashSet<string> ExportedSeriesNames()
    {
        _ = SweepClusterTelemetry.InstrumentNames; // creates the instruments
        using var exporter = new PrometheusExporter();
        var names = new HashSet<string>(PrometheusSeries, StringComparer.Ordinal);
        foreach (var line in exporter.Collect().Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)))
        {
            var parts = line.Split(' ');
            if (parts[3] == "histogram")
            {
                names.UnionWith([parts[2] + "_bucket", parts[2] + "_sum", parts[2] + "_count"]);
            }
            else
            {
                names.Add(parts[2]);
            }
        }

        Assert.Equal(SweepClusterTelemetry.InstrumentNames.Count, names.Count(n => n.StartsWith("sweepcluster_", StringComparison.Ordinal)) - (3 * 2));
        return names;
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
