namespace SweepCluster.Denoising.Configuration;

/// <summary>Learning-rate schedule over the whole run.</summary>
public enum LearningRateScheduleKind
{
    Cosine,
    Constant,
}
