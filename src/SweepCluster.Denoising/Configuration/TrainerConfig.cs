namespace SweepCluster.Denoising.Configuration;

/// <summary>The <c>trainer</c> section of a trial.</summary>
/// <param name="StepsPerEpoch">Optimizer steps per epoch; 0 means <c>train_samples / batch_size</c> (see <see cref="EffectiveStepsPerEpoch"/>).</param>
/// <param name="MixedAlpha">Share of the target's skips in <see cref="Configuration.CrossSkips.Mixed"/>.</param>
/// <param name="InputNoiseSigma">Std of the fresh Gaussian noise added to the encoder's inputs every step (0 = off); the targets stay the images without it.</param>
/// <param name="LrTMaxEpochs">Period of <see cref="LearningRateScheduleKind.CosineEpoch"/> in epochs; 0 means the phase's epoch count.</param>
/// <param name="ScheduleRampEpochs">Length of the linear ramp from one stage's weights to the next; 0 is a step change.</param>
/// <param name="GradClip">Maximum global gradient norm; 0 turns clipping off.</param>
public sealed record TrainerConfig(
    TrainerMode Mode,
    int Epochs,
    int StepsPerEpoch,
    CrossSkips CrossSkips,
    double MixedAlpha,
    bool SameDomainUseSkip,
    LossKind Loss,
    CrossLossScale CrossLossScale,
    double InputNoiseSigma,
    AntiCollapseConfig AntiCollapse,
    LossWeights LossWeights,
    IReadOnlyList<ScheduleStage> Schedule,
    double ScheduleRampEpochs,
    OptimizerKind Optimizer,
    double Lr,
    IReadOnlyList<double> Betas,
    double WeightDecay,
    LearningRateScheduleKind LrSchedule,
    int LrTMaxEpochs,
    double LrMin,
    int WarmupSteps,
    double GradClip,
    bool Deterministic,
    int CheckpointEveryEpochs)
{
    /// <summary>Steps per epoch with the 0 default resolved against the data section (at least 1).</summary>
    public int EffectiveStepsPerEpoch(DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return StepsPerEpoch > 0 ? StepsPerEpoch : Math.Max(1, data.TrainSamples / Math.Max(1, data.BatchSize));
    }
}
