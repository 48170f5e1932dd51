namespace SweepCluster.Cluster.Grains;

/// <summary>How an attempt's runner says the attempt ended.</summary>
[GenerateSerializer]
[Alias("sweepcluster.attempt-outcome")]
public enum AttemptOutcome
{
    /// <summary>The trainer finished and wrote its summary.</summary>
    Succeeded = 0,

    /// <summary>The child process failed (non-zero exit, native crash, out of memory); the trial retries while attempts remain.</summary>
    Failed = 1,
}
