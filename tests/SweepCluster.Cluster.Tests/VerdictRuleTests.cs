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
