using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>
/// A parsed <c>when</c> expression over dotted keys of a resolved trial config.
/// </summary>
/// <remarks>
/// Grammar (keywords are lower case; the left of an operator is always a key path, the right
/// always a value, so a bare word on the right is a string):
/// <code>
/// expr       := or
/// or         := and ( "or" and )*
/// and        := unary ( "and" unary )*
/// unary      := "not" unary | "(" expr ")" | comparison
/// comparison := path ( "==" value | "!=" value | "in" list | "not" "in" list )
/// list       := "[" value ( "," value )* "]"
/// value      := number | 'text' | "text" | true | false | null | bare-word
/// path       := name ( "." name )*
/// </code>
/// A path that the config lacks compares unequal to every value. Numbers compare by value
/// (<c>1 == 1.0</c>).
/// </remarks>
public sealed class Condition
{
    private readonly ConditionNode _root;

    internal Condition(string text, ConditionNode root, IReadOnlyList<ComparisonNode> comparisons)
    {
        Text = text;
        _root = root;
        Comparisons = comparisons;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The dotted key paths the expression reads.</summary>
    public IReadOnlyList<string> Paths => Comparisons.Select(c => c.Path).Distinct(StringComparer.Ordinal).ToList();

    internal IReadOnlyList<ComparisonNode> Comparisons { get; }

    /// <summary>Parses an expression; throws <see cref="ConditionSyntaxException"/> when malformed.</summary>
    public static Condition Parse(string text) => ConditionParser.Parse(text);

    /// <summary>Whether the expression holds for <paramref name="config"/>.</summary>
    public bool Evaluate(JsonObject config) => _root.Evaluate(config);

    /// <inheritdoc />
    public override string ToString() => Text;
}
