namespace SweepCluster.Cluster.Store;

/// <summary>A logged event. Ids grow with time, so a reader can poll for events after the last id it saw.</summary>
public sealed record EventRecord(long Id, DateTimeOffset At, string? SweepId, string? TrialId, int? Attempt, string Kind, string Message);
