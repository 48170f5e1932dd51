namespace SweepCluster.Silo.Wire;

/// <summary>An attempt a trial grain asked this silo to run, on these of its slots.</summary>
public sealed record AttemptAssignment(
    string TrialId,
    string SweepId,
    string ConfigName,
    int Attempt,
    IReadOnlyList<SlotDescription> Slots);
