namespace SweepCluster.Denoising.Training;

/// <summary>Learning rate as a pure function of the optimizer step.</summary>
public static class LearningRateSchedule
{
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

    /// <summary>The rate of <c>trainer.lr_schedule</c>: cosine as above, or constant (after the same warm-up).</summary>
    public static double At(Configuration.LearningRateScheduleKind kind, double baseLr, long step, long totalSteps, long warmupSteps) =>
        kind == Configuration.LearningRateScheduleKind.Cosine
            ? CosineLearningRate(baseLr, step, totalSteps, warmupSteps)
            : step < warmupSteps ? baseLr * (step + 1) / warmupSteps : baseLr;
}
