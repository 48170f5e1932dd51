namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of <c>POST /api/silos/register</c>.</summary>
public sealed class RegisterSiloRequest
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyList<SlotDto?>? Slots { get; init; }
}
