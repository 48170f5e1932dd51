namespace SweepCluster.Cluster.Store;

/// <summary>What a submission did: trials added, and trials that already existed and were kept as they were.</summary>
public sealed record SubmitResult(bool SweepAdded, int TrialsAdded, int TrialsKept);
