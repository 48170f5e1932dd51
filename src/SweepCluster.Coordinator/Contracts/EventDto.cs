namespace SweepCluster.Coordinator.Contracts;

/// <summary>An entry of the event log; ids grow with time.</summary>
public sealed record EventDto(long Id, DateTimeOffset At, string? SweepId, string? TrialId, int? Attempt, string Kind, string Message);
