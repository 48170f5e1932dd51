using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Grains;

/// <summary>A trial waiting for slots in the scheduler's queue, with what creating its grain needs.</summary>
[GenerateSerializer]
[Alias("sweepcluster.queued-trial")]
public sealed record QueuedTrial
{
    [Id(0)]
    public required string TrialId { get; init; }

    /// <summary>The attempt the next placement starts (the trial's current attempt + 1).</summary>
    [Id(1)]
    public required int Attempt { get; init; }

    [Id(2)]
    public required TrialDefinition Definition { get; init; }

    public PendingTrial ToPending() =>
        new(TrialId, Definition.Resources.ToRequest(), Definition.Priority, Definition.SubmittedAt, Definition.OrderIndex);
}
