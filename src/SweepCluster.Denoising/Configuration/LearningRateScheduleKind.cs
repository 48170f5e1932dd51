namespace SweepCluster.Denoising.Configuration;

/// <summary>Learning-rate schedule (<c>trainer.lr_schedule</c>).</summary>
public enum LearningRateScheduleKind
{
    /// <summary>A half cosine per step from the base rate down to <c>lr_min</c> at the last step.</summary>
    Cosine,

    /// <summary>The base rate throughout (after any warm-up).</summary>
    Constant,

    /// <summary>
    /// A cosine stepped once per epoch with its own period <c>lr_t_max_epochs</c>, as PyTorch's
    /// <c>CosineAnnealingLR</c> stepped per epoch: epoch e (0-based) runs at
    /// <c>lr_min + (lr - lr_min) * (1 + cos(pi * e / T_max)) / 2</c>.
    /// </summary>
    CosineEpoch,
}
