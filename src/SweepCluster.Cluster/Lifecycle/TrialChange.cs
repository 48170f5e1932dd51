namespace SweepCluster.Cluster.Lifecycle;

/// <summary>
/// The result of an accepted transition: the trial's next state and the event to log.
/// <see cref="Unchanged"/> marks an idempotent repeat (a retried report), which the store
/// acknowledges without writing.
/// </summary>
public sealed record TrialChange(TrialSnapshot Next, string EventKind, string EventMessage, bool Unchanged = false);
