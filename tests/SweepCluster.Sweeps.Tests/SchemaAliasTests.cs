using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

/// <summary>
/// A schema that renames a key and some enum values (as the trainer's renamed <c>cross_domain_strategy</c> to
/// <c>cross_skips</c>): sweeps written with the old names give the same trials, stored under the new names.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SchemaAliasTests
{
    private static SweepExpansion Expand(string yaml)
    {
        var loaded = SweepLoader.Parse(yaml, "aliases.yaml", AliasSchema.Instance);
        Assert.True(loaded.Success, string.Join("\n", loaded.Errors));
        var expansion = SweepExpander.Expand(loaded.Spec, null, AliasSchema.Instance);
        Assert.True(expansion.Success, string.Join("\n", expansion.Errors));
        return expansion;
    }

    [Fact]
    public void Old_key_and_value_names_give_the_trials_of_the_new_names()
    {
        var old = Expand("""
            name: old
            matrix:
              - name: a
                overrides: {trainer.cross_domain_strategy: use_target_skip}
              - name: b
                overrides: {trainer: {cross_skips: no_skip}}
            grid:
              trainer.lr: [0.1]
            """);
        var current = Expand("""
            name: current
            matrix:
              - name: a
                overrides: {trainer.cross_skips: input}
              - name: b
                overrides: {trainer: {cross_skips: none}}
            grid:
              trainer.lr: [0.1]
            """);

        Assert.Equal(current.Trials.Select(t => t.Id), old.Trials.Select(t => t.Id));
        Assert.Equal("input", old.Trials[0].Config["trainer"]!["cross_skips"]!.GetValue<string>());
        Assert.Equal("none", old.Trials[1].Config["trainer"]!["cross_skips"]!.GetValue<string>());
        Assert.False(old.Trials[0].Config["trainer"]!.AsObject().ContainsKey("cross_domain_strategy"));
    }

    [Fact]
    public void A_misspelt_key_is_still_an_error()
    {
        var loaded = SweepLoader.Parse("""
            name: bad
            base:
              trainer.cross_domain_strategie: no_skip
            """, "bad.yaml", AliasSchema.Instance);

        Assert.False(loaded.Success);
        Assert.Contains(loaded.Errors, e => e.ToString().Contains("cross_domain_strategie", StringComparison.Ordinal));
    }

    private sealed class AliasSchema : ITrialConfigSchema
    {
        private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
        {
            ["use_source_skip"] = "target",
            ["use_target_skip"] = "input",
            ["no_skip"] = "none",
        };

        public static AliasSchema Instance { get; } = new();

        public JsonObject CreateDefaults()
        {
            var tree = FakeTrialConfigSchema.Instance.CreateDefaults();
            tree["trainer"]!.AsObject().Remove("cross_domain_strategy");
            return tree;
        }

        public IReadOnlyList<string>? AllowedValues(string dottedPath) =>
            CanonicalPath(dottedPath) == "trainer.cross_skips" ? ["input", "target", "none", .. Values.Keys] : FakeTrialConfigSchema.Instance.AllowedValues(dottedPath);

        public IReadOnlyList<string> Validate(JsonObject resolved) => FakeTrialConfigSchema.Instance.Validate(resolved);

        public string CanonicalPath(string dottedPath) =>
            dottedPath == "trainer.cross_domain_strategy" ? "trainer.cross_skips" : dottedPath;

        public string CanonicalValue(string dottedPath, string value) =>
            CanonicalPath(dottedPath) == "trainer.cross_skips" && Values.TryGetValue(value, out var current) ? current : value;
    }
}
