using SweepCluster.Silo.Processes;
using static SweepCluster.Silo.Processes.TrialEventParser;

namespace SweepCluster.Silo.Tests;

[Trait("Category", "Unit")]
public sealed class TrialEventParserTests
{
    [Fact]
    public void Protocol_lines_become_events()
    {
        Assert.Equal(new ProgressEvent(12, 24, 2, 4, 30.5), TrialEventParser.Parse("""{"type":"progress","epoch":2,"epochs":4,"step":12,"steps":24,"eta_s":30.5}"""));
        Assert.Equal(new MetricEvent(3, 1, "eval.x_a_from_b.psnr", 27.25, "eval"), TrialEventParser.Parse("""{"type":"metric","step":3,"epoch":1,"name":"eval.x_a_from_b.psnr","value":27.25,"kind":"eval"}"""));
        Assert.Equal(new CheckpointEvent("ckpt/e2.pt", 12, 2), TrialEventParser.Parse("""{"type":"checkpoint","path":"ckpt/e2.pt","step":12,"epoch":2}"""));
        Assert.Equal(new ArtifactEvent("p.png", "panel", "panel 1"), TrialEventParser.Parse("""{"type":"artifact","path":"p.png","kind":"panel","name":"panel 1"}"""));
        var summary = Assert.IsType<SummaryEvent>(TrialEventParser.Parse("""{"type":"summary","summary":{"scalars":{"psnr_cross":1}}}"""));
        Assert.Equal("""{"scalars":{"psnr_cross":1}}""", summary.SummaryJson);
    }

    [Fact]
    public void Diverged_loss_written_as_NaN_is_kept()
    {
        var metric = Assert.IsType<MetricEvent>(TrialEventParser.Parse("""{"type":"metric","step":1,"name":"loss.total","value":"NaN","kind":"step"}"""));
        Assert.True(double.IsNaN(metric.Value));
    }

    // The lines the trainer writes (SweepCluster.Denoising.Tests, JsonLinesTrialEventsTests).
    [Theory]
    [InlineData("NaN", double.NaN)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    public void Non_finite_loss_and_its_divergence_are_read_back(string written, double value)
    {
        var metric = Assert.IsType<MetricEvent>(TrialEventParser.Parse($$"""{"type":"metric","step":12,"epoch":2,"name":"loss.cross","value":"{{written}}","kind":"step"}"""));
        var diverged = Assert.IsType<DivergedEvent>(TrialEventParser.Parse($$"""{"type":"diverged","step":12,"epoch":2,"name":"loss.cross","value":"{{written}}"}"""));

        Assert.Equal((12L, "loss.cross", value), (metric.Step, metric.Name, metric.Value));
        Assert.Equal(new DivergedEvent(12, 2, "loss.cross", value), diverged);
    }

    [Theory]
    [InlineData("epoch 1/4 loss 0.3")]
    [InlineData("")]
    [InlineData("{not json")]
    [InlineData("""{"type":"unknown"}""")]
    [InlineData("""{"type":"metric","step":1,"value":1}""")]
    [InlineData("""{"type":"summary","summary":3}""")]
    [InlineData("""{"type":"diverged","step":3,"value":"NaN"}""")]
    [InlineData("""{"type":"diverged","name":"loss.cross","value":"NaN"}""")]
    [InlineData("[1,2]")]
    public void Anything_else_is_a_log_line(string line)
    {
        Assert.Null(TrialEventParser.Parse(line));
    }
}
