namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of a heartbeat: every attempt the silo is running.</summary>
public sealed class HeartbeatRequest
{
    public IReadOnlyList<HeldAttemptDto?>? Held { get; init; }
}
