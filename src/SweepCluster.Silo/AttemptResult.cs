namespace SweepCluster.Silo;

/// <summary>How an attempt ended on this silo.</summary>
internal enum AttemptResult
{
    Succeeded,
    Failed,

    /// <summary>Cancelled, released, or killed by a shutdown.</summary>
    Stopped,
}
