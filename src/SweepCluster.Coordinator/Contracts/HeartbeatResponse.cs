namespace SweepCluster.Coordinator.Contracts;

/// <summary>The coordinator's answer about each held attempt.</summary>
public sealed record HeartbeatResponse(IReadOnlyList<HeldAttemptStatusDto> Statuses);
