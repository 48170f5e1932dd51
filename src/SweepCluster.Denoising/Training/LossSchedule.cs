using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Loss weights over training (<c>trainer.schedule</c>). Time is a fractional 1-based epoch: 1.0 is the start of
/// epoch 1 and 2.5 the middle of epoch 2 (see <see cref="EpochProgress"/>). A stage applies from its
/// <c>from_epoch</c> on; keys it leaves out take <c>trainer.loss_weights</c>. With a ramp of R epochs the weights
/// move linearly from those in force when the stage starts to the stage's own over [from_epoch, from_epoch + R).
/// </summary>
public sealed class LossSchedule
{
    private readonly LossWeights _baseWeights;
    private readonly ScheduleStage[] _stages;
    private readonly double _rampEpochs;

    public LossSchedule(LossWeights baseWeights, IEnumerable<ScheduleStage> stages, double rampEpochs)
    {
        ArgumentNullException.ThrowIfNull(baseWeights);
        ArgumentNullException.ThrowIfNull(stages);
        ArgumentOutOfRangeException.ThrowIfNegative(rampEpochs);
        _baseWeights = baseWeights;
        _stages = [.. stages.OrderBy(s => s.FromEpoch)];
        _rampEpochs = rampEpochs;
    }

    /// <summary>The schedule of a trainer section.</summary>
    public static LossSchedule From(TrainerConfig trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        return new LossSchedule(trainer.LossWeights, trainer.Schedule, trainer.ScheduleRampEpochs);
    }

    /// <summary>The fractional epoch of step <paramref name="step"/> (0-based) of the 1-based <paramref name="epoch"/>.</summary>
    public static double EpochProgress(int epoch, int step, int stepsPerEpoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        return epoch + ((double)step / stepsPerEpoch);
    }

    /// <summary>The weights in force at the fractional 1-based epoch <paramref name="epochProgress"/>.</summary>
    public LossWeights WeightsAt(double epochProgress) => WeightsAt(epochProgress, _stages.Length);

    /// <summary>The weights at <paramref name="t"/> considering only the first <paramref name="stageCount"/> stages.</summary>
    private LossWeights WeightsAt(double t, int stageCount)
    {
        var active = -1;
        for (var i = 0; i < stageCount; i++)
        {
            if (_stages[i].FromEpoch <= t)
            {
                active = i;
            }
        }

        if (active < 0)
        {
            return _baseWeights;
        }

        var stage = _stages[active];
        var target = stage.LossWeights.Over(_baseWeights);
        var elapsed = t - stage.FromEpoch;
        if (_rampEpochs <= 0 || elapsed >= _rampEpochs)
        {
            return target;
        }

        // The ramp starts from whatever was in force at the boundary, itself possibly mid-ramp.
        var start = WeightsAt(stage.FromEpoch, active);
        return LossWeights.Lerp(start, target, elapsed / _rampEpochs);
    }
}
