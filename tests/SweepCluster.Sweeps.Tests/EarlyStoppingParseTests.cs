using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class EarlyStoppingParseTests
{
    /// <summary>The test schema, saying which metrics the trainer reports every epoch.</summary>
    private sealed class ReportingSchema : ITrialConfigSchema
    {
        public static ReportingSchema Instance { get; } = new();

        public IReadOnlyList<string>? EpochMetrics { get; } = ["epoch.loss.cross", "eval.psnr_cross", "eval.ssim_cross", "eval.x_a_from_b.psnr"];

        public JsonObject CreateDefaults() => FakeTrialConfigSchema.Instance.CreateDefaults();

        public IReadOnlyList<string>? AllowedValues(string dottedPath) => FakeTrialConfigSchema.Instance.AllowedValues(dottedPath);

        public IReadOnlyList<string> Validate(JsonObject resolved) => FakeTrialConfigSchema.Instance.Validate(resolved);
    }

    private static SweepLoadResult Parse(string yaml) => SweepLoader.Parse(yaml, "t.yaml", ReportingSchema.Instance);

    private static SweepError Single(string yaml)
    {
        var result = Parse(yaml);
        Assert.False(result.Success, "the sweep was expected to be refused");
        return Assert.Single(result.Errors);
    }

    private static SweepExpansion Expand(string yaml, string? profile)
    {
        var result = Parse(yaml);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        var expansion = SweepExpander.Expand(result.Spec, profile, ReportingSchema.Instance);
        Assert.True(expansion.Success, string.Join("\n", expansion.Errors));
        return expansion;
    }

    private const string Sweep = """
        name: es
        objective: {metric: psnr_cross, goal: maximize}
        early_stopping:
          rule: asha
          grace_epochs: 2
        matrix:
          - name: a
            overrides: {trainer.lr: 0.001}
          - name: question
            overrides: {trainer.lr: 0.002}
            early_stopping: false
        seeds: 2
        profiles:
          cpu:
            overrides: {trainer.epochs: 4}
            early_stopping: {reduction_factor: 2, metric: epoch.loss.cross, goal: minimize}
          smoke:
            early_stopping: false
        """;

    [Fact]
    public void The_block_resolves_with_defaults_from_the_objective_and_rows_can_opt_out()
    {
        var expansion = Expand(Sweep, profile: null);

        Assert.Equal(new EarlyStopping(EarlyStoppingRule.Asha, "eval.psnr_cross", ObjectiveGoal.Maximize, 2, 3, 3), expansion.EarlyStopping);
        Assert.Equal([true, true, false, false], expansion.Trials.Select(t => t.EarlyStopping));
    }

    [Fact]
    public void A_profile_sets_the_keys_it_names_over_the_sweeps_block_or_turns_it_off()
    {
        Assert.Equal(new EarlyStopping(EarlyStoppingRule.Asha, "epoch.loss.cross", ObjectiveGoal.Minimize, 2, 2, 3), Expand(Sweep, "cpu").EarlyStopping);
        Assert.Null(Expand(Sweep, "smoke").EarlyStopping);
    }

    [Fact]
    public void A_sweep_without_the_block_runs_every_trial_to_the_end()
    {
        Assert.Null(Expand("name: plain\nseeds: 1\n", profile: null).EarlyStopping);
    }

    [Fact]
    public void Reference_trials_are_not_judged()
    {
        var expansion = Expand("name: r\nreferences: [supervised_cross]\nearly_stopping: {rule: median}\n", profile: null);
        Assert.Equal([false, true], expansion.Trials.Select(t => t.EarlyStopping));
        Assert.Equal(EarlyStoppingRule.Median, expansion.EarlyStopping!.Rule);
    }

    [Fact]
    public void A_metric_the_trainer_does_not_report_every_epoch_is_refused_where_it_is_written()
    {
        var error = Single("""
            name: t
            early_stopping:
              rule: asha
              metric: eval.psnr_cros
            """);

        Assert.Equal((4, 11), (error.Line, error.Column));
        Assert.Equal("early_stopping.metric", error.Path);
        Assert.Contains("the trainer does not report `eval.psnr_cros` every epoch; did you mean `eval.psnr_cross`?", error.Message, StringComparison.Ordinal);
        Assert.Contains("(reported: epoch.loss.cross, eval.psnr_cross,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_objective_not_reported_every_epoch_needs_a_metric()
    {
        var error = Single("""
            name: t
            objective: {metric: leakage_cross, goal: minimize}
            early_stopping: {rule: median}
            """);

        Assert.Equal((3, 17), (error.Line, error.Column));
        Assert.Equal("early_stopping.metric", error.Path);
        Assert.Contains("the objective `leakage_cross` is not reported every epoch (as `eval.leakage_cross`)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rule_lists_the_valid_ones()
    {
        var error = Single("""
            name: t
            early_stopping: {rule: hyperband}
            """);

        Assert.Equal("early_stopping.rule", error.Path);
        Assert.Contains("unknown value `hyperband`", error.Message, StringComparison.Ordinal);
        Assert.Contains("(valid values: asha, median)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("early_stopping: {grace_epochs: 2}", "early_stopping", "missing key `rule` (asha or median)")]
    [InlineData("early_stopping: {rule: asha, reduction_factor: 1}", "early_stopping.reduction_factor", "expected an integer >= 2, found 1")]
    [InlineData("early_stopping: {rule: asha, grace_epochs: 0}", "early_stopping.grace_epochs", "expected an integer >= 1, found 0")]
    [InlineData("early_stopping: {rule: median, min_trial: 3}", "early_stopping.min_trial", "did you mean `min_trials`?")]
    [InlineData("early_stopping: {rule: median, goal: maximise}", "early_stopping.goal", "did you mean `maximize`?")]
    public void Bad_values_are_located_and_say_the_fix(string block, string path, string message)
    {
        var error = Single($"name: t\n{block}\n");

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_block_needs_a_rule_when_the_sweep_has_none()
    {
        var error = Single("""
            name: t
            profiles:
              gpu:
                early_stopping: {grace_epochs: 4}
            """);

        Assert.Equal((4, 21), (error.Line, error.Column));
        Assert.Equal("profiles.gpu.early_stopping", error.Path);
        Assert.Contains("missing key `rule` (asha or median)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_can_only_opt_out()
    {
        var error = Single("""
            name: t
            early_stopping: {rule: asha}
            matrix:
              - name: a
                early_stopping: {rule: median}
            """);

        Assert.Equal("matrix[0].early_stopping", error.Path);
        Assert.Contains("a matrix row can only opt out", error.Message, StringComparison.Ordinal);
    }
}
