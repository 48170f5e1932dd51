namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of <c>POST /api/sweeps</c>: a sweep and its expanded trials.</summary>
public sealed class SubmitSweepRequest
{
    public SweepDefinitionDto? Sweep { get; init; }

    public IReadOnlyList<TrialDefinitionDto?>? Trials { get; init; }
}
