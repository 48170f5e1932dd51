namespace SweepCluster.Denoising.Configuration;

/// <summary>The <c>trainer</c> section of a trial.</summary>
/// <param name="StepsPerEpoch">Optimizer steps per epoch; 0 means <c>train_samples / batch_size</c> (see <see cref="EffectiveStepsPerEpoch"/>).</param>
/// <param name="MixedAlpha">Share of the source skip in <see cref="CrossDomainStrategy.MixedSkip"/>.</param>
/// <param name="ScheduleRampEpochs">Length of the linear ramp from one stage's weights to the next; 0 is a step change.</param>
/// <param name="GradClip">Maximum global gradient norm; 0 turns clipping off.</param>
public sealed record TrainerConfig(
    TrainerMode Mode,
    int Epochs,
    int StepsPerEpoch,
    CrossDomainStrategy CrossDomainStrategy,
    double MixedAlpha,
    bool SameDomainUseSkip,
    LossKind Loss,
    LossWeights LossWeights,
    IReadOnlyList<ScheduleStage> Schedule,
    double ScheduleRampEpochs,
    OptimizerKind Optimizer,
    double Lr,
    IReadOnlyList<double> Betas,
    double WeightDecay,
    LearningRateScheduleKind LrSchedule,
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
