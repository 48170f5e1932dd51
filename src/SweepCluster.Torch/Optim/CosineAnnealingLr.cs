namespace SweepCluster.Torch.Optim;

/// <summary>
/// Cosine learning-rate annealing from the optimizer's initial rate to <see cref="MinLearningRate"/>
/// over <see cref="TotalSteps"/> steps (PyTorch's CosineAnnealingLR closed form), after an optional
/// linear warm-up. <see cref="Step"/> advances one step and sets the optimizer's rate.
/// </summary>
public sealed class CosineAnnealingLr
{
    private readonly Optimizer _optimizer;

    public CosineAnnealingLr(Optimizer optimizer, long totalSteps, double minLearningRate = 0, long warmupSteps = 0)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        _optimizer = optimizer;
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
        WarmupSteps = warmupSteps;
        _optimizer.LearningRate = LearningRateAt(0);
    }

    public long TotalSteps { get; }

    public long WarmupSteps { get; }

    public double MinLearningRate { get; }

    /// <summary>Steps taken so far (restored from checkpoints).</summary>
    public long StepCount { get; set; }

    /// <summary>The rate at <paramref name="step"/>, a pure function of the schedule.</summary>
    public double LearningRateAt(long step)
    {
        var baseRate = _optimizer.InitialLearningRate;
        if (step < WarmupSteps)
        {
            return baseRate * (step + 1) / WarmupSteps;
        }

        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var t = Math.Min(step - WarmupSteps, span);
        return MinLearningRate + ((baseRate - MinLearningRate) * (1 + Math.Cos(Math.PI * t / span)) / 2);
    }

    public void Step()
    {
        StepCount++;
        _optimizer.LearningRate = LearningRateAt(StepCount);
    }
}
