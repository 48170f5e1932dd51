namespace SweepCluster.Sweeps;

/// <summary>A reference level a sweep's configurations are judged against (the sweep file's <c>references</c>).</summary>
public enum SweepReference
{
    /// <summary>The noisy input itself: measured in every trial's evaluation, nothing is run for it.</summary>
    NoisyInput,

    /// <summary>A Gaussian filter tuned on the training split: measured in every trial's evaluation.</summary>
    Classical,

    /// <summary>
    /// The same network and budget trained against the clean image of the other contrast for the cross outputs
    /// (<c>trainer.mode: supervised_cross</c>): one reference trial per seed, from the base config after the profile.
    /// </summary>
    SupervisedCross,
}
