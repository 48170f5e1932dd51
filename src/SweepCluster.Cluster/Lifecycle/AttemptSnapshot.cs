namespace SweepCluster.Cluster.Lifecycle;

/// <summary>One attempt of a trial. Its <see cref="Number"/> is the fencing token.</summary>
/// <param name="SlotIds">The silo slots the attempt occupies (several for a multi-GPU trial).</param>
public sealed record AttemptSnapshot(
    int Number,
    AttemptState State,
    string SiloId,
    IReadOnlyList<string> SlotIds,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    AttemptProgress? Progress)
{
    public bool IsLive => State is AttemptState.Placed or AttemptState.Running;
}
