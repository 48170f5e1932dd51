namespace SweepCluster.Cluster.Placement;

/// <summary>A trial waiting for slots. Queue order: higher <see cref="Priority"/> first, then earlier
/// <see cref="SubmittedAt"/>, then lower <see cref="OrderIndex"/>, then id.</summary>
public sealed record PendingTrial(string TrialId, ResourceRequest Resources, int Priority, DateTimeOffset SubmittedAt, int OrderIndex);
