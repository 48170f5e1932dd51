namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>What happened to a trial, as the sweep grain's judge sees it. Stored in grain state: never renumber.</summary>
[GenerateSerializer]
[Alias("sweepcluster.stopping-event-kind")]
public enum StoppingEventKind
{
    /// <summary>The trial reported the judged metric for an epoch.</summary>
    Reported = 0,

    /// <summary>The trial succeeded: its curve is final (the median rule compares with completed configurations).</summary>
    Completed = 1,

    /// <summary>The trial failed for good or was cancelled: its configuration is judged on its other seeds.</summary>
    Withdrawn = 2,
}
