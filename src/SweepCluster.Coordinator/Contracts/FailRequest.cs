namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of a failure: what went wrong (for example the child's last standard-error lines).</summary>
public sealed class FailRequest
{
    public string? Error { get; init; }
}
