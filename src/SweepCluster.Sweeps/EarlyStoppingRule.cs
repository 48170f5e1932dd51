namespace SweepCluster.Sweeps;

/// <summary>How a sweep stops unpromising configurations early (docs/sweep-file.md, "Early stopping").</summary>
public enum EarlyStoppingRule
{
    /// <summary>Asynchronous successive halving: rungs at <c>grace_epochs * reduction_factor^k</c>.</summary>
    Asha,

    /// <summary>Median stopping: best value so far against the median of completed configurations' running averages.</summary>
    Median,
}
