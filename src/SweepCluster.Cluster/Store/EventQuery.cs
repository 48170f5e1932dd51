namespace SweepCluster.Cluster.Store;

/// <summary>Which events to read: optionally one sweep's or one trial's, after an id, oldest first.</summary>
public sealed record EventQuery(string? SweepId = null, string? TrialId = null, long AfterId = 0, int Limit = 1000);
