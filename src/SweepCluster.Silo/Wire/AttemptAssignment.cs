namespace SweepCluster.Silo.Wire;

/// <summary>An attempt the coordinator handed to this silo.</summary>
/// <param name="Attempt">The fencing token every report about this work carries.</param>
/// <param name="ConfigJson">The resolved trial configuration, written to the attempt directory for the child.</param>
/// <param name="ResumeCheckpointArtifactId">The checkpoint to download and resume from; null to start from scratch.</param>
public sealed record AttemptAssignment(
    string TrialId,
    string SweepId,
    string ConfigName,
    int Attempt,
    IReadOnlyList<SlotDescription> Slots,
    string ConfigJson,
    string? ResumeCheckpointArtifactId,
    DateTimeOffset LeaseExpiresAt);
