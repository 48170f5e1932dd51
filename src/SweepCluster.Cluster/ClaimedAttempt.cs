namespace SweepCluster.Cluster;

/// <summary>Work handed to a silo: one attempt of one trial on some of its slots.</summary>
/// <param name="Attempt">The fencing token: every report about this work must carry it.</param>
/// <param name="ResumeCheckpointArtifactId">The checkpoint to resume from; null to start from scratch.</param>
/// <param name="ConfigName">The configuration's name (the matrix row), for the silo's progress and logs.</param>
public sealed record ClaimedAttempt(
    string TrialId,
    string SweepId,
    string ConfigName,
    int Attempt,
    IReadOnlyList<SlotInfo> Slots,
    string ConfigJson,
    string? ResumeCheckpointArtifactId,
    DateTimeOffset LeaseExpiresAt);
