namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of a failure: what went wrong (for example the child's last standard-error lines).</summary>
public sealed class FailRequest
{
    public string? Error { get; init; }

    /// <summary>
    /// Set when the attempt failed because its training diverged: the trial then fails without a retry, with the
    /// reason worded from it (<c>diverged at step N (loss.X = NaN)</c>) instead of <see cref="Error"/>.
    /// </summary>
    public DivergenceDto? Diverged { get; init; }
}
