namespace SweepCluster.Coordinator.Contracts;

/// <summary>An attempt a silo is running, with its progress.</summary>
public sealed class HeldAttemptDto
{
    public string? TrialId { get; init; }

    public int? Attempt { get; init; }

    public ProgressDto? Progress { get; init; }
}
