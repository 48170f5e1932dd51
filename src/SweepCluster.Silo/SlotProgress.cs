namespace SweepCluster.Silo;

/// <summary>One slot's state for a live display: idle (no trial) or the attempt it runs and how far it is.</summary>
/// <param name="Status"><c>idle</c>, <c>starting</c>, <c>running</c> or <c>stopping</c>.</param>
/// <param name="LatestLosses">The latest value of each <c>loss.*</c> metric.</param>
/// <param name="ProcessId">The child's process id while it runs.</param>
public sealed record SlotProgress(
    string SlotId,
    string Status,
    string? TrialId,
    string? ConfigName,
    int? Attempt,
    int? Epoch,
    int? Epochs,
    long? Step,
    long? Steps,
    double? EtaSeconds,
    IReadOnlyDictionary<string, double> LatestLosses,
    int? ProcessId);
