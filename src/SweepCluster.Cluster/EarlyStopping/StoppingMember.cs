namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>A trial early stopping may judge, and the configuration it is a seed of.</summary>
[GenerateSerializer]
[Alias("sweepcluster.stopping-member")]
public sealed record StoppingMember([property: Id(0)] string TrialId, [property: Id(1)] string ConfigKey);
