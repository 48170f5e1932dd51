using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Learning rate as a pure function of the optimizer step, so a resumed run gets the same rates. Training is split
/// into phases at the schedule stages that ask for a fresh optimizer: each phase's schedule starts again from its own
/// base rate (the stage's <c>lr</c>, else <c>trainer.lr</c>) and runs over the phase's steps, as a second run of the
/// trainer would. A stage with an <c>lr</c> but no fresh optimizer changes the base rate from its epoch on, within the
/// phase's schedule.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly TrainerConfig _trainer;
    private readonly int _stepsPerEpoch;
    private readonly long _totalSteps;

    public LearningRateSchedule(TrainerConfig trainer, int stepsPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepsPerEpoch);
        _trainer = trainer;
        _stepsPerEpoch = stepsPerEpoch;
        _totalSteps = (long)stepsPerEpoch * trainer.Epochs;
    }

    /// <summary>Whether the 0-based <paramref name="step"/> is the first of a phase that starts with a fresh optimizer.</summary>
    public bool StartsPhase(long step) =>
        step > 0 && step % _stepsPerEpoch == 0 && _trainer.Schedule.Any(s => s.FreshOptimizer && (long)(s.FromEpoch - 1) * _stepsPerEpoch == step);

    /// <summary>The rate of the 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var epoch = (int)(step / _stepsPerEpoch) + 1;
        var phaseStart = 0L;
        var baseLr = _trainer.Lr;
        foreach (var stage in _trainer.Schedule.OrderBy(s => s.FromEpoch).Where(s => s.FromEpoch <= epoch))
        {
            if (stage.FreshOptimizer)
            {
                phaseStart = (long)(stage.FromEpoch - 1) * _stepsPerEpoch;
                baseLr = _trainer.Lr;
            }

            baseLr = stage.Lr ?? baseLr;
        }

        var inPhase = step - phaseStart;
        var phaseSteps = _totalSteps - phaseStart;
        var warmup = phaseStart == 0 ? _trainer.WarmupSteps : 0;
        if (inPhase < warmup)
        {
            return baseLr * (inPhase + 1) / warmup;
        }

        var min = _trainer.LrMin;
        switch (_trainer.LrSchedule)
        {
            case LearningRateScheduleKind.Constant:
                return baseLr;
            case LearningRateScheduleKind.CosineEpoch:
                var phaseEpochs = Math.Max(1, (int)(phaseSteps / _stepsPerEpoch));
                var period = _trainer.LrTMaxEpochs > 0 ? _trainer.LrTMaxEpochs : phaseEpochs;
                return CosineEpochLearningRate(baseLr, min, inPhase / _stepsPerEpoch, period);
            default:
                return min + ((CosineLearningRate(baseLr, inPhase, phaseSteps, warmup) / baseLr) * (baseLr - min));
        }
    }

    /// <summary>
    /// PyTorch's <c>CosineAnnealingLR</c> stepped once per epoch, in closed form: epoch <paramref name="epoch"/> (0-based)
    /// runs at <c>min + (base - min) * (1 + cos(pi * epoch / period)) / 2</c>. Past the period the cosine rises again, as
    /// PyTorch's does.
    /// </summary>
    public static double CosineEpochLearningRate(double baseLr, double minLr, long epoch, int period)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(period);
        return minLr + ((baseLr - minLr) * 0.5 * (1 + Math.Cos(Math.PI * epoch / period)));
    }

    /// <summary>
    /// Linear warm-up over <paramref name="warmupSteps"/> (step s gets <c>baseLr * (s + 1) / warmupSteps</c>), then a
    /// half cosine from <paramref name="baseLr"/> at the end of warm-up down to 0 at <paramref name="totalSteps"/>.
    /// Steps are 0-based; steps at or past the end get 0.
    /// </summary>
    public static double CosineLearningRate(double baseLr, long step, long totalSteps, long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        if (step < warmupSteps)
        {
            return baseLr * (step + 1) / warmupSteps;
        }

        if (step >= totalSteps)
        {
            return 0;
        }

        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = (double)(step - warmupSteps) / decaySteps;
        return baseLr * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>The rate of <c>trainer.lr_schedule</c> over one phase of <paramref name="totalSteps"/> (used for the discriminator).</summary>
    public static double At(LearningRateScheduleKind kind, double baseLr, long step, long totalSteps, long warmupSteps) =>
        kind == LearningRateScheduleKind.Constant
            ? step < warmupSteps ? baseLr * (step + 1) / warmupSteps : baseLr
            : CosineLearningRate(baseLr, step, totalSteps, warmupSteps);
}
