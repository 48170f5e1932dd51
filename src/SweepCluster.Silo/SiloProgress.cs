namespace SweepCluster.Silo;

/// <summary>A snapshot of every slot of a silo, and how many attempts it finished so far.</summary>
public sealed record SiloProgress(DateTimeOffset At, IReadOnlyList<SlotProgress> Slots, int Succeeded, int Failed, int Stopped);
