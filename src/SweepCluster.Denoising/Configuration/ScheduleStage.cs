namespace SweepCluster.Denoising.Configuration;

/// <summary>A stage of <c>trainer.schedule</c>: its weights apply from the 1-based epoch <paramref name="FromEpoch"/> on.</summary>
public sealed record ScheduleStage(int FromEpoch, PartialLossWeights LossWeights);
