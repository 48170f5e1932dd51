using SweepCluster.Cluster.Reports;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class VerdictRuleTests
{
    [Theory]
    [InlineData(1.0, 0.19, true, Verdict.Pass)]
    [InlineData(5.0, 0.0, true, Verdict.Pass)]
    [InlineData(0.99, 0.1, true, Verdict.Partial)]
    [InlineData(1.0, 0.2, true, Verdict.Partial)]
    [InlineData(0.01, 0.1, true, Verdict.Partial)]
    [InlineData(5.0, 0.49, true, Verdict.Partial)]
    [InlineData(0.0, 0.1, true, Verdict.Fail)]
    [InlineData(-3.0, 0.1, true, Verdict.Fail)]
    [InlineData(5.0, 0.5, true, Verdict.Fail)]
    [InlineData(5.0, 0.1, false, Verdict.Fail)]
    public void Default_rule_boundaries(double gain, double leakage, bool goingDown, Verdict expected)
    {
        Assert.Equal(expected, VerdictRule.Default.Decide(gain, leakage, goingDown));
    }

    [Fact]
    public void A_missing_input_gives_no_verdict()
    {
        Assert.Null(VerdictRule.Default.Decide(null, 0.1, true));
        Assert.Null(VerdictRule.Default.Decide(2, null, true));
        Assert.Null(VerdictRule.Default.Decide(2, 0.1, null));
    }

    [Fact]
    public void Thresholds_can_be_changed()
    {
        var strict = new VerdictRule { PassMinPsnrGainDb = 3 };

        Assert.Equal(Verdict.Partial, strict.Decide(2, 0.1, true));
        Assert.Contains(">= 3 dB", strict.Describe(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5, 0.19, true, false, Verdict.Pass)]
    [InlineData(1.2, 0.0, true, false, Verdict.Pass)]
    [InlineData(0.49, 0.1, true, false, Verdict.Partial)]
    [InlineData(0.5, 0.2, true, false, Verdict.Partial)]
    [InlineData(0.9, 0.1, false, false, Verdict.Partial)]
    [InlineData(0.11, 0.1, true, false, Verdict.Partial)]
    [InlineData(0.9, 0.49, true, false, Verdict.Partial)]
    [InlineData(0.1, 0.1, true, false, Verdict.Fail)]
    [InlineData(-0.3, 0.1, true, false, Verdict.Fail)]
    [InlineData(0.9, 0.5, true, false, Verdict.Fail)]
    [InlineData(0.9, 0.1, true, true, Verdict.Fail)]
    public void Relative_rule_boundaries(double gapClosed, double leakage, bool goingDown, bool belowFloor, Verdict expected)
    {
        Assert.Equal(expected, VerdictRule.Default.DecideRelative(gapClosed, leakage, goingDown, belowFloor));
    }

    [Fact]
    public void Relative_rule_needs_f_leakage_and_trend_and_reads_a_missing_floor_as_not_below()
    {
        Assert.Null(VerdictRule.Default.DecideRelative(null, 0.1, true, false));
        Assert.Null(VerdictRule.Default.DecideRelative(0.8, null, true, false));
        Assert.Null(VerdictRule.Default.DecideRelative(0.8, 0.1, null, false));
        Assert.Equal(Verdict.Pass, VerdictRule.Default.DecideRelative(0.8, 0.1, true, null));
    }

    [Fact]
    public void Describe_states_the_relative_rule_and_the_fallback()
    {
        var text = VerdictRule.Default.Describe();

        Assert.Contains("F = (PSNR cross - PSNR noisy) / (PSNR cross of the supervised cross reference - PSNR noisy)", text, StringComparison.Ordinal);
        Assert.Contains("pass: F >= 0.5 and leakage (cross) < 0.2 and the excess cross loss (over its noise floor) going down", text, StringComparison.Ordinal);
        Assert.Contains("fail: F <= 0.1 or leakage (cross) >= 0.5 or the cross loss below its noise floor", text, StringComparison.Ordinal);
        Assert.Contains("Without a supervised cross reference: pass: cross loss going down (majority of seeds) and PSNR gain (cross) >= 1 dB", text, StringComparison.Ordinal);
        Assert.Contains(">= 0.7", (VerdictRule.Default with { PassMinGapClosed = 0.7 }).Describe(relative: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pass", Verdict.Pass)]
    [InlineData(" Partial ", Verdict.Partial)]
    [InlineData("FAIL", Verdict.Fail)]
    [InlineData("better", null)]
    [InlineData(null, null)]
    public void Expected_verdicts_are_read_as_the_sweep_file_writes_them(string? text, Verdict? expected)
    {
        Assert.Equal(expected, VerdictRule.ParseExpected(text));
    }
}
