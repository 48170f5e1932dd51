namespace SweepCluster.Coordinator.Contracts;

/// <summary>The attempts handed to a silo; empty when the wait ran out without work.</summary>
public sealed record ClaimResponse(IReadOnlyList<ClaimedAttemptDto> Attempts);
