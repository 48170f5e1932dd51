using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class ConditionTests
{
    private static readonly JsonObject Config = JsonNode.Parse(
        """{"model": {"skip_mode": "additive", "skip_weight": 0.5, "identity": false}, "trainer": {"epochs": 6}}""")!.AsObject();

    [Theory]
    [InlineData("model.skip_mode == additive", true)]
    [InlineData("model.skip_mode == 'additive'", true)]
    [InlineData("model.skip_mode != additive", false)]
    [InlineData("model.skip_mode in [concat, additive]", true)]
    [InlineData("model.skip_mode not in [concat]", true)]
    [InlineData("trainer.epochs == 6.0", true)]
    [InlineData("model.skip_weight == 0.5 and model.identity == false", true)]
    [InlineData("model.skip_weight == 1 or trainer.epochs == 6", true)]
    [InlineData("not (model.skip_mode == additive or trainer.epochs == 6)", false)]
    [InlineData("not model.identity == true and trainer.epochs != 7", true)]
    [InlineData("model.missing == 1", false)]
    public void Expressions_evaluate_over_dotted_keys(string text, bool expected)
    {
        Assert.Equal(expected, Condition.Parse(text).Evaluate(Config));
    }

    [Theory]
    [InlineData("model.skip_mode = additive", 16, "use '=='")]
    [InlineData("model.skip_mode additive", 16, "expected '==', '!=', 'in' or 'not in'")]
    [InlineData("model.skip_mode == additive and", 31, "expected a key path")]
    [InlineData("(model.skip_mode == additive", 28, "expected ')'")]
    [InlineData("model.skip_mode in [concat additive]", 27, "expected ',' or ']'")]
    [InlineData("model.skip_mode == 'additive", 19, "unterminated string")]
    [InlineData("model.skip_mode == additive && x == 1", 28, "write 'and'")]
    [InlineData("", 0, "empty")]
    public void Malformed_expressions_name_the_offset_and_what_was_expected(string text, int offset, string message)
    {
        var error = Assert.Throws<ConditionSyntaxException>(() => Condition.Parse(text));

        Assert.Equal(offset, error.Offset);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
