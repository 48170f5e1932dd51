namespace SweepCluster.Coordinator.Contracts;

/// <summary>One attempt handed to a silo.</summary>
/// <param name="Attempt">The fencing token every report about this work must carry.</param>
/// <param name="ConfigJson">The resolved trial configuration, as JSON text.</param>
/// <param name="ResumeCheckpointArtifactId">The checkpoint to resume from; null to start from scratch.</param>
public sealed record ClaimedAttemptDto(
    string TrialId,
    string SweepId,
    string ConfigName,
    int Attempt,
    IReadOnlyList<SlotView> Slots,
    string ConfigJson,
    string? ResumeCheckpointArtifactId,
    DateTimeOffset LeaseExpiresAt);
