namespace SweepCluster.Cluster.Grains;

/// <summary>What <see cref="TrialMachine"/> asks its host (the trial grain) to do after an event.</summary>
[GenerateSerializer]
[Alias("sweepcluster.trial-decision-kind")]
public enum TrialDecisionKind
{
    /// <summary>Ask the runner of the decision's silo to start the attempt, from the checkpoint if one is named.</summary>
    StartAttempt = 0,

    /// <summary>The trial is pending again: place it anywhere as the next attempt, resuming from the checkpoint.</summary>
    Requeue = 1,

    /// <summary>A report of an attempt that is not the live one was refused; nothing changed.</summary>
    RefuseStale = 2,

    /// <summary>The trial failed for good (attempts used up, or training diverged).</summary>
    GiveUp = 3,

    /// <summary>Ask the runner of the decision's silo to stop the attempt (the trial was cancelled or diverged).</summary>
    StopAttempt = 4,

    /// <summary>The trial succeeded; its summary can go to the sweep.</summary>
    Finish = 5,

    /// <summary>The sweep's early stopping pruned the trial: it leaves the queue and its slots are free.</summary>
    Prune = 6,
}
