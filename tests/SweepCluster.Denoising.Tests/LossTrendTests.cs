using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class LossTrendTests
{
    [Fact]
    public void Exponential_decay_gives_its_rate_as_slope()
    {
        double[] losses = [.. Enumerable.Range(0, 10).Select(e => 2.0 * Math.Exp(-0.1 * e))];

        var trend = LossTrend.Fit(losses, 3);

        Assert.Equal(-0.1, trend.Slope!.Value, 12);
        Assert.Equal(3, trend.Epochs);
    }

    [Fact]
    public void Only_the_last_epochs_count()
    {
        double[] losses = [1.0, 0.5, 0.25, 0.25, 0.25];

        var trend = LossTrend.Fit(losses, 3);

        Assert.Equal(0, trend.Slope!.Value, 12);
    }

    [Fact]
    public void Rising_loss_has_positive_slope()
    {
        Assert.True(LossTrend.Fit([1.0, 1.2, 1.1, 1.5], 4).Slope > 0);
    }

    [Fact]
    public void A_single_epoch_has_no_slope()
    {
        var trend = LossTrend.Fit([0.7], 3);

        Assert.Null(trend.Slope);
    }

    [Fact]
    public void Non_positive_losses_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LossTrend.Fit([1.0, 0.0], 2));
    }
}
