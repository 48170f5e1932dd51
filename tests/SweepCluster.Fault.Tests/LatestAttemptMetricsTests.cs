namespace SweepCluster.Fault.Tests;

[Trait("Category", "Unit")]
public sealed class LatestAttemptMetricsTests
{
    private static MetricPointRecord Point(int attempt, long step, string name, double value) => new(attempt, step, name, value, "step", null, null);

    [Fact]
    public void Each_step_and_name_takes_the_value_of_its_latest_attempt()
    {
        var latest = LatestAttemptMetrics.Resolve([Point(1, 1, "loss", 1.0), Point(1, 2, "loss", 2.0), Point(2, 2, "loss", 2.5), Point(2, 3, "loss", 3.0)]);

        Assert.Equal(3, latest.Count);
        Assert.Equal(1.0, latest[(1, "loss")].Value);
        Assert.Equal(2.5, latest[(2, "loss")].Value);
        Assert.Equal(2, latest[(2, "loss")].Attempt);
    }

    [Fact]
    public void A_point_stored_twice_in_one_attempt_is_a_duplicate_but_a_rerun_in_a_later_attempt_is_not()
    {
        var duplicates = LatestAttemptMetrics.Duplicates([Point(1, 2, "loss", 2.0), Point(2, 2, "loss", 2.5), Point(2, 3, "loss", 3.0), Point(2, 3, "loss", 3.0)]);

        Assert.Equal([(2, 3L, "loss")], duplicates);
    }

    [Fact]
    public void Compare_reports_missing_extra_and_different_points_and_accepts_values_within_tolerance()
    {
        var reference = LatestAttemptMetrics.Resolve([Point(0, 1, "loss", 1.0), Point(0, 2, "loss", 100.0), Point(0, 3, "loss", 3.0)]);
        var actual = LatestAttemptMetrics.Resolve([Point(2, 1, "loss", 1.0 + 1e-9), Point(2, 2, "loss", 100.001), Point(2, 4, "loss", 4.0)]);

        var differences = LatestAttemptMetrics.Compare(actual, reference, tolerance: 1e-6);

        Assert.Equal(3, differences.Count);
        Assert.Contains(differences, d => d.StartsWith("missing step 3 loss", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("extra step 4 loss", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.StartsWith("step 2 loss", StringComparison.Ordinal));
        Assert.Empty(LatestAttemptMetrics.Compare(reference, reference, tolerance: 0));
    }
}
