using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Cosine_starts_at_the_base_rate_halves_midway_and_ends_near_zero()
    {
        Assert.Equal(0.001, LearningRateSchedule.CosineLearningRate(0.001, 0, 100, 0), 15);
        Assert.Equal(0.0005, LearningRateSchedule.CosineLearningRate(0.001, 50, 100, 0), 15);
        Assert.True(LearningRateSchedule.CosineLearningRate(0.001, 99, 100, 0) < 1e-6);
        Assert.Equal(0, LearningRateSchedule.CosineLearningRate(0.001, 100, 100, 0));
    }

    [Fact]
    public void Warmup_rises_linearly_then_cosine_starts_from_the_base_rate()
    {
        Assert.Equal(0.1, LearningRateSchedule.CosineLearningRate(1, 0, 110, 10), 15);
        Assert.Equal(0.5, LearningRateSchedule.CosineLearningRate(1, 4, 110, 10), 15);
        Assert.Equal(1.0, LearningRateSchedule.CosineLearningRate(1, 10, 110, 10), 15);
        Assert.Equal(0.5, LearningRateSchedule.CosineLearningRate(1, 60, 110, 10), 15);
    }

    [Fact]
    public void Cosine_is_non_increasing_after_warmup()
    {
        var previous = double.MaxValue;
        for (var step = 5; step < 200; step++)
        {
            var lr = LearningRateSchedule.CosineLearningRate(0.01, step, 200, 5);
            Assert.True(lr <= previous);
            previous = lr;
        }
    }

    [Fact]
    public void Constant_schedule_keeps_the_base_rate_after_warmup()
    {
        Assert.Equal(0.5, LearningRateSchedule.At(LearningRateScheduleKind.Constant, 1, 1, 100, 4));
        Assert.Equal(1.0, LearningRateSchedule.At(LearningRateScheduleKind.Constant, 1, 99, 100, 4));
    }
}
