namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// A stage of <c>trainer.schedule</c>: its weights apply from the 1-based epoch <paramref name="FromEpoch"/> on. With
/// <paramref name="FreshOptimizer"/> the stage starts a new training phase, as a second run that reloads the weights
/// would: the optimizer's state is cleared and the learning-rate schedule starts again from <paramref name="Lr"/> (or
/// <c>trainer.lr</c>). <paramref name="Lr"/> without a fresh optimizer sets the base rate from this stage on.
/// </summary>
public sealed record ScheduleStage(int FromEpoch, PartialLossWeights LossWeights, double? Lr = null, bool FreshOptimizer = false);
