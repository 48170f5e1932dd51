using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Evaluation;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class ExcessTrendTests
{
    [Fact]
    public void Excess_falling_by_half_with_a_small_spread_is_going_down()
    {
        // Loss 0.30 -> 0.25 over a floor of 0.20: the excess halves (0.10 -> 0.05).
        var trend = ExcessTrend.Fit([0.5, 0.30, 0.27, 0.25], [0.02, 0.01, 0.01, 0.01], 100, 0.20, 3);

        Assert.Equal(0.5, trend.RelativeDecrease!.Value, 9);

        // se = 0.01 / sqrt(100) = 0.001 at both ends: err = sqrt(0.001^2 + 0.5^2 0.001^2) / 0.1.
        Assert.Equal(Math.Sqrt(1.25e-6) / 0.1, trend.Error!.Value, 9);
        Assert.Equal(3, trend.Epochs);
        Assert.True(trend.GoingDown);
    }

    [Fact]
    public void A_fall_within_twice_its_uncertainty_is_not_going_down()
    {
        // The same 50 % fall of the excess, but the steps scatter so much that it is within 2 err.
        var trend = ExcessTrend.Fit([0.30, 0.27, 0.25], [0.2, 0.2, 0.2], 16, 0.20, 3);

        Assert.Equal(0.5, trend.RelativeDecrease!.Value, 9);
        Assert.True(trend.Error > 0.25, $"err {trend.Error}");
        Assert.False(trend.GoingDown);
    }

    [Fact]
    public void A_loss_on_its_floor_is_not_going_down_although_its_log_slope_is_negative()
    {
        // The raw loss falls 2 % per epoch, which the old log-slope rule called learning; relative to its excess
        // over the floor it is noise.
        double[] losses = [0.1330, 0.1304, 0.1278];
        Assert.True(LossTrend.Fit(losses, 3).Slope < -0.01);

        var trend = ExcessTrend.Fit(losses, [0.05, 0.05, 0.05], 28, 0.13, 3);
        Assert.False(trend.GoingDown);
    }

    [Fact]
    public void A_window_starting_below_the_floor_has_no_decrease()
    {
        var trend = ExcessTrend.Fit([0.05, 0.04, 0.039], [0.01, 0.01, 0.01], 10, 0.13, 3);

        Assert.Null(trend.RelativeDecrease);
        Assert.False(trend.GoingDown);
    }

    [Fact]
    public void One_step_per_epoch_takes_the_spread_from_successive_epoch_means()
    {
        var trend = ExcessTrend.Fit([0.40, 0.30, 0.20], [null, null, null], 1, 0.10, 3);

        // Differences of 0.1 twice: spread sqrt(0.01 / 2); excess 0.3 -> 0.1.
        var se = Math.Sqrt(0.01 / 2);
        Assert.Equal(2.0 / 3, trend.RelativeDecrease!.Value, 9);
        Assert.Equal(Math.Sqrt((se * se) + (se * se / 9)) / 0.3, trend.Error!.Value, 9);
    }

    [Fact]
    public void Summary_reports_the_floor_the_excess_and_a_loss_below_its_floor_in_scalars()
    {
        var history = new[] { 0.30, 0.10, 0.039 }
            .Select(l => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["loss.cross"] = l, ["loss.recon"] = l / 2, [C2CTrainer.CrossStepSdMetric] = 0.004 })
            .ToList();
        var evaluation = new EvaluationResult(new Dictionary<string, OutputMetrics>(), [], 1, 8, 8, 0);

        var s = SummaryBuilder.Build(history, evaluation, 3, TrainerMode.C2c, 16, 1, 48, null, new NoiseFloorResult(0.13, 0.001)).Scalars;

        Assert.Equal(0.13, s["noise_floor_cross"]);
        Assert.Equal(0.13, s["noise_floor_recon"]);
        Assert.Equal(0.039 - 0.13, s["cross_excess_final"], 12);
        Assert.Equal((0.039 / 2) - 0.13, s["recon_excess_final"], 12);
        Assert.Equal(1, s["cross_below_floor"]);
        Assert.Equal(1.0 - ((0.039 - 0.13) / (0.30 - 0.13)), s["cross_excess_rel_decrease"], 12);
        Assert.True(s.ContainsKey("cross_excess_rel_decrease_err"));

        // Above the floor by far more than its uncertainty: not below.
        var above = SummaryBuilder.Build(history, evaluation, 3, TrainerMode.C2c, 16, 1, 48, null, new NoiseFloorResult(0.02, 0.001)).Scalars;
        Assert.Equal(0, above["cross_below_floor"]);
    }
}
