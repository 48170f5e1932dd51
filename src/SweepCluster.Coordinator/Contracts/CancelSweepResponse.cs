namespace SweepCluster.Coordinator.Contracts;

/// <summary>How many trials a cancel request cancelled.</summary>
public sealed record CancelSweepResponse(string SweepId, int Cancelled);
