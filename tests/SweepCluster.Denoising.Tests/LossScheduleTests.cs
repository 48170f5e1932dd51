using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class LossScheduleTests
{
    private static readonly LossWeights Base = new(1.0, 0.5, 1.0, 0.0, 0.0);

    private static readonly ScheduleStage[] Progressive =
    [
        new(1, new PartialLossWeights(1.0, 1.0, 0.1, null, null)),
        new(6, new PartialLossWeights(0.5, 0.1, 1.0, null, null)),
    ];

    [Fact]
    public void Without_stages_the_base_weights_hold_throughout()
    {
        var schedule = new LossSchedule(Base, [], 2);

        Assert.Equal(Base, schedule.WeightsAt(1));
        Assert.Equal(Base, schedule.WeightsAt(9.5));
    }

    [Fact]
    public void Stages_switch_exactly_at_their_first_epoch()
    {
        var schedule = new LossSchedule(Base, Progressive, 0);

        Assert.Equal(new LossWeights(1.0, 1.0, 0.1, 0.0, 0.0), schedule.WeightsAt(1.0));
        Assert.Equal(new LossWeights(1.0, 1.0, 0.1, 0.0, 0.0), schedule.WeightsAt(5.999));
        Assert.Equal(new LossWeights(0.5, 0.1, 1.0, 0.0, 0.0), schedule.WeightsAt(6.0));
    }

    [Fact]
    public void Before_the_first_stage_the_base_weights_apply()
    {
        var schedule = new LossSchedule(Base, [new ScheduleStage(3, new PartialLossWeights(null, 0.2, null, null, null))], 0);

        Assert.Equal(Base, schedule.WeightsAt(2.9));
        Assert.Equal(Base with { Recon = 0.2 }, schedule.WeightsAt(3));
    }

    [Fact]
    public void Keys_a_stage_leaves_out_fall_back_to_the_base_weights_not_the_previous_stage()
    {
        var schedule = new LossSchedule(
            Base,
            [new ScheduleStage(1, new PartialLossWeights(null, null, null, 0.7, null)), new ScheduleStage(2, new PartialLossWeights(2.0, null, null, null, null))],
            0);

        Assert.Equal(Base with { Content = 2.0 }, schedule.WeightsAt(2.5));
    }

    [Fact]
    public void Ramp_is_linear_and_at_its_midpoint_halfway()
    {
        var schedule = new LossSchedule(Base, Progressive, 2);

        var mid = schedule.WeightsAt(7.0);

        Assert.Equal(0.75, mid.Content, 12);
        Assert.Equal(0.55, mid.Recon, 12);
        Assert.Equal(0.55, mid.Cross, 12);
        Assert.Equal(new LossWeights(0.5, 0.1, 1.0, 0.0, 0.0), schedule.WeightsAt(8.0));
        Assert.Equal(1.0, schedule.WeightsAt(6.0).Recon, 12);
    }

    [Fact]
    public void Ramp_from_base_weights_into_the_first_stage()
    {
        var schedule = new LossSchedule(Base, [new ScheduleStage(2, new PartialLossWeights(null, 0.1, null, null, null))], 1);

        Assert.Equal(0.3, schedule.WeightsAt(2.5).Recon, 12);
    }

    [Fact]
    public void Epoch_progress_counts_steps_as_fractions_of_the_1_based_epoch()
    {
        Assert.Equal(3.25, LossSchedule.EpochProgress(3, 2, 8));
    }

    [Fact]
    public void From_trainer_config_uses_the_configured_schedule()
    {
        var trainer = TrialConfig.Parse("trainer: {epochs: 10, schedule: [{from_epoch: 4, loss_weights: {cross: 3}}]}", "t.yaml").Trainer;

        Assert.Equal(3.0, LossSchedule.From(trainer).WeightsAt(4.1).Cross);
    }
}
