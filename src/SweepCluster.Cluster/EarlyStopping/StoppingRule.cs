namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>The early-stopping rules a sweep can run under. Stored in grain state: never renumber a member.</summary>
[GenerateSerializer]
[Alias("sweepcluster.stopping-rule")]
public enum StoppingRule
{
    /// <summary>Asynchronous successive halving (Li et al.): rungs at <c>grace * reduction_factor^k</c>.</summary>
    Asha = 0,

    /// <summary>Median stopping (Google Vizier): best so far against the median of completed configurations' running averages.</summary>
    Median = 1,
}
