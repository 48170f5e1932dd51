namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of a claim: the silo's free slots and how long it is willing to wait for work.</summary>
public sealed class ClaimRequest
{
    public IReadOnlyList<string?>? FreeSlotIds { get; init; }

    /// <summary>Seconds to wait for work when there is none (0 answers at once); capped by the coordinator.</summary>
    public double? WaitSeconds { get; init; }

    /// <summary>Only trials of this sweep (the embedded <c>run</c> of one sweep file); null for any.</summary>
    public string? SweepId { get; init; }
}
