namespace SweepCluster.Cluster.Store;

/// <summary>An entry for the append-only event log.</summary>
public sealed record NewEvent(string? SweepId, string? TrialId, int? Attempt, string Kind, string Message);
