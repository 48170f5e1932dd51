namespace SweepCluster.Torch.Serialization;

/// <summary>A Python tuple in a torch.save file (for example Adam's <c>betas</c>).</summary>
public sealed record TorchTuple(IReadOnlyList<object?> Items);
