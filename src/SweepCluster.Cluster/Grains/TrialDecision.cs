namespace SweepCluster.Cluster.Grains;

/// <summary>One thing <see cref="TrialMachine"/> asks its host to do.</summary>
/// <param name="Attempt">The attempt the decision is about (for <see cref="TrialDecisionKind.Requeue"/>: the next one).</param>
/// <param name="SiloId">The silo whose runner should act, where the decision names one.</param>
/// <param name="CheckpointRef">The checkpoint to resume from, for a start or a requeue.</param>
/// <param name="Reason">Why, in words.</param>
[GenerateSerializer]
[Alias("sweepcluster.trial-decision")]
public sealed record TrialDecision(
    [property: Id(0)] TrialDecisionKind Kind,
    [property: Id(1)] int Attempt,
    [property: Id(2)] string? SiloId,
    [property: Id(3)] string? CheckpointRef,
    [property: Id(4)] string Reason);
