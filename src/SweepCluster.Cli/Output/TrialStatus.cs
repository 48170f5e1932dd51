namespace SweepCluster.Cli.Output;

/// <summary>One trial as the plain progress log sees it.</summary>
/// <param name="Id">The trial id.</param>
/// <param name="Label">How a reader knows it (configuration and seed).</param>
/// <param name="State">Its lifecycle state in lower case: pending, placed, running, succeeded, failed, cancelled or pruned.</param>
internal sealed record TrialStatus(string Id, string Label, string State)
{
    /// <summary>Why a pruned trial was stopped (the early-stopping decision); null otherwise.</summary>
    public string? Reason { get; init; }
}
