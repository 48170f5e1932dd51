using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>A node of a parsed <c>when</c> expression.</summary>
internal abstract class ConditionNode
{
    public abstract bool Evaluate(JsonObject config);
}

internal sealed class AndNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public override bool Evaluate(JsonObject config) => left.Evaluate(config) && right.Evaluate(config);
}

internal sealed class OrNode(ConditionNode left, ConditionNode right) : ConditionNode
{
    public override bool Evaluate(JsonObject config) => left.Evaluate(config) || right.Evaluate(config);
}

internal sealed class NotNode(ConditionNode operand) : ConditionNode
{
    public override bool Evaluate(JsonObject config) => !operand.Evaluate(config);
}

/// <summary>A literal on the right of a comparison, with its place in the expression text.</summary>
internal sealed record ConditionLiteral(JsonNode? Value, int Offset, int Length);

/// <summary><c>path == v</c>, <c>path != v</c>, <c>path in [..]</c>, <c>path not in [..]</c>.</summary>
internal sealed class ComparisonNode(string path, int pathOffset, IReadOnlyList<ConditionLiteral> literals, bool negate) : ConditionNode
{
    public string Path => path;

    public int PathOffset => pathOffset;

    public IReadOnlyList<ConditionLiteral> Literals => literals;

    public override bool Evaluate(JsonObject config)
    {
        var actual = ConfigTree.Get(config, path, out var found);
        var matches = found && literals.Any(l => CanonicalJson.DeepEquals(actual, l.Value));
        return matches != negate;
    }
}
