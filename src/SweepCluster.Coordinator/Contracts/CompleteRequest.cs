using System.Text.Json;

namespace SweepCluster.Coordinator.Contracts;

/// <summary>Body of a completion: the trainer's summary (a JSON object).</summary>
public sealed class CompleteRequest
{
    public JsonElement? Summary { get; init; }
}
