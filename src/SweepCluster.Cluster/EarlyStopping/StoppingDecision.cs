using System.Collections.Immutable;

namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>
/// A judgement of one configuration at one epoch: it goes on (<see cref="Pruned"/> false) or it is pruned, with every
/// seed (trial) it has.
/// </summary>
/// <param name="ConfigKey">The configuration (the seeds of one configuration share it).</param>
/// <param name="TrialIds">The configuration's trials: a pruned configuration stops all of them.</param>
/// <param name="Epoch">The epoch judged.</param>
/// <param name="Pruned">Whether the configuration stops.</param>
/// <param name="Reason">In words, for a person: the value, the cut and how many were compared.</param>
[GenerateSerializer]
[Alias("sweepcluster.stopping-decision")]
public sealed record StoppingDecision(
    [property: Id(0)] string ConfigKey,
    [property: Id(1)] ImmutableArray<string> TrialIds,
    [property: Id(2)] int Epoch,
    [property: Id(3)] bool Pruned,
    [property: Id(4)] string Reason,
    [property: Id(5)] StoppingRule Rule);
