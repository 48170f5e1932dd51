using System.Text.Json;
using SweepCluster.Denoising.Evaluation;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class JsonLinesTrialEventsTests
{
    [Fact]
    public void Each_event_is_one_json_line_with_the_protocol_fields()
    {
        var writer = new StringWriter();
        var events = new JsonLinesTrialEvents(writer);
        events.Progress(1, 6, 3, 48, 12.5);
        events.Metric(3, 1, "loss.cross", 0.25, MetricKind.Step);
        events.Metric(3, 1, "eval.x_a_from_b.psnr", double.PositiveInfinity, MetricKind.Eval);
        events.Checkpoint("checkpoint.pt", 8, 1);
        events.Artifact("panels/panel_0.png", ArtifactKind.Panel, "panel_0.png");
        events.Summary(new TrialSummary(
            new Dictionary<string, double> { ["psnr_cross"] = 27.5, ["steps"] = 24 },
            new Dictionary<string, OutputMetrics> { ["x_a_from_b"] = new(27, 0.8, 0.01, 0.02, double.NaN) },
            Supervised: false));

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        var docs = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["progress", "metric", "metric", "checkpoint", "artifact", "summary"], docs.Select(d => d.GetProperty("type").GetString()));
        Assert.Equal(12.5, docs[0].GetProperty("eta_s").GetDouble());
        Assert.Equal(48, docs[0].GetProperty("steps").GetInt64());
        Assert.Equal("loss.cross", docs[1].GetProperty("name").GetString());
        Assert.Equal("step", docs[1].GetProperty("kind").GetString());
        Assert.Equal(0.25, docs[1].GetProperty("value").GetDouble());
        Assert.Equal("Infinity", docs[2].GetProperty("value").GetString());
        Assert.Equal("panel", docs[4].GetProperty("kind").GetString());
        var summary = docs[5].GetProperty("summary");
        Assert.Equal(27.5, summary.GetProperty("scalars").GetProperty("psnr_cross").GetDouble());
        Assert.False(summary.GetProperty("outputs").GetProperty("x_a_from_b").TryGetProperty("leakage_noise_b", out _));
        Assert.False(summary.GetProperty("supervised").GetBoolean());
    }

    // The silo's parser reads these exact lines (SweepCluster.Silo.Tests, TrialEventParserTests): a JSON number cannot be NaN.
    [Theory]
    [InlineData(double.NaN, """{"type":"metric","step":12,"epoch":2,"name":"loss.cross","value":"NaN","kind":"step"}""", """{"type":"diverged","step":12,"epoch":2,"name":"loss.cross","value":"NaN"}""")]
    [InlineData(double.PositiveInfinity, """{"type":"metric","step":12,"epoch":2,"name":"loss.cross","value":"Infinity","kind":"step"}""", """{"type":"diverged","step":12,"epoch":2,"name":"loss.cross","value":"Infinity"}""")]
    [InlineData(double.NegativeInfinity, """{"type":"metric","step":12,"epoch":2,"name":"loss.cross","value":"-Infinity","kind":"step"}""", """{"type":"diverged","step":12,"epoch":2,"name":"loss.cross","value":"-Infinity"}""")]
    public void A_non_finite_loss_is_written_as_a_string_and_its_divergence_as_an_event(double value, string metricLine, string divergedLine)
    {
        var writer = new StringWriter();
        var events = new JsonLinesTrialEvents(writer);

        events.Metric(12, 2, "loss.cross", value, MetricKind.Step);
        events.Diverged(12, 2, "loss.cross", value);

        Assert.Equal([metricLine, divergedLine], writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void The_epoch_table_prints_a_dash_for_missing_values()
    {
        var row = EpochTable.Row(2, new Dictionary<string, double> { ["epoch.loss.cross"] = 0.12345, ["eval.x_a_from_b.psnr"] = 27.456 });
        Assert.Contains("0.1235", row, StringComparison.Ordinal);
        Assert.Contains("27.46", row, StringComparison.Ordinal);
        Assert.Contains(" -", row, StringComparison.Ordinal);
        Assert.Equal(EpochTable.Header().Length, row.Length);
    }
}
