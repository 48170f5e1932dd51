namespace SweepCluster.Coordinator.Contracts;

/// <summary>What a submission did: trials added, and trials that already existed and were kept.</summary>
public sealed record SubmitSweepResponse(string SweepId, bool SweepAdded, int TrialsAdded, int TrialsKept);
