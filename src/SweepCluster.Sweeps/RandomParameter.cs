using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>One randomly drawn config key.</summary>
/// <param name="Path">The dotted config key.</param>
/// <param name="Distribution">What to draw from.</param>
/// <param name="Low">Lower bound (not used by <see cref="DistributionKind.Choice"/>).</param>
/// <param name="High">Upper bound (not used by <see cref="DistributionKind.Choice"/>).</param>
/// <param name="Choices">The values of a <see cref="DistributionKind.Choice"/>, else empty.</param>
/// <param name="When">The drawn value is applied only where this holds; it is drawn regardless,
/// so the other parameters' draws do not depend on it.</param>
/// <param name="Location">Where the parameter is declared.</param>
public sealed record RandomParameter(
    string Path,
    DistributionKind Distribution,
    double Low,
    double High,
    IReadOnlyList<JsonNode?> Choices,
    Condition? When,
    SourceLocation Location);
