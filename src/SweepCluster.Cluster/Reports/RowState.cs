namespace SweepCluster.Cluster.Reports;

/// <summary>Whether a configuration's row is final.</summary>
public enum RowState
{
    /// <summary>Every trial succeeded.</summary>
    Complete,

    /// <summary>Some trials are still pending or running; the measured columns may change.</summary>
    InProgress,

    /// <summary>Nothing is left to run, but some trials failed or were cancelled; the row stands on the rest.</summary>
    Incomplete,

    /// <summary>The sweep's early stopping pruned the configuration: it has no verdict, only the epoch it reached and its last values.</summary>
    Pruned,
}
