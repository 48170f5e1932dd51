namespace SweepCluster.Cluster.Reports;

/// <summary>What a row of the test matrix stands for: a configuration of the sweep, or a reference level.</summary>
public enum RowKind
{
    /// <summary>A configuration of the sweep; it gets a verdict.</summary>
    Configuration,

    /// <summary>The noisy input itself (the baseline: leakage 1 by construction), from every trial's evaluation.</summary>
    NoisyInput,

    /// <summary>A Gaussian filter tuned on the training split, from every trial's evaluation.</summary>
    Classical,

    /// <summary>The reference trials trained against the other contrast's clean image (<c>trainer.mode: supervised_cross</c>): the ceiling.</summary>
    SupervisedCross,
}
