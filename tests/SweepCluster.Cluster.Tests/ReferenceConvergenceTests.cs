using SweepCluster.Cluster.Reports;

namespace SweepCluster.Cluster.Tests;

/// <summary>How far the supervised reference's PSNR still moved over the last quarter of its training.</summary>
[Trait("Category", "Unit")]
public sealed class ReferenceConvergenceTests
{
    private static CurveSeries Curve(long seed, params (double Step, double Psnr)[] points) =>
        new($"t{seed}", seed, [.. points.Select(p => new CurvePoint(p.Step, p.Psnr))]);

    [Fact]
    public void The_change_is_the_last_value_minus_the_value_at_three_quarters_averaged_over_seeds()
    {
        // Seed 0: at step 75 (three quarters of 100) 30.0, last 30.3; seed 1: three quarters of 140 is 105, the last point at or before it is step 100 (29.05), last 29.1.
        var change = TestMatrixBuilder.LastQuarterChange(
        [
            Curve(0, (25, 25.0), (50, 28.0), (75, 30.0), (100, 30.3)),
            Curve(1, (35, 27.0), (70, 29.0), (100, 29.05), (140, 29.1)),
        ]);

        Assert.NotNull(change);
        Assert.Equal((0.3 + 0.05) / 2, change.Value, 9);
    }

    [Fact]
    public void A_curve_of_one_point_gives_nothing()
    {
        Assert.Null(TestMatrixBuilder.LastQuarterChange([Curve(0, (10, 30.0))]));
        Assert.Null(TestMatrixBuilder.LastQuarterChange([]));
    }
}
