using System.Text;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class SweepLoaderTests
{
    private static IReadOnlyList<SweepError> Errors(string yaml)
    {
        var result = SweepLoader.Parse(yaml, "t.yaml", FakeTrialConfigSchema.Instance);
        Assert.False(result.Success, "the sweep was expected to be refused");
        return result.Errors;
    }

    private static SweepError Single(string yaml)
    {
        var errors = Errors(yaml);
        return Assert.Single(errors);
    }

    private static void AssertAt(SweepError error, int line, int column, string path, string messagePart)
    {
        Assert.Equal("t.yaml", error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(path, error.Path);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_file_loads_with_its_sections()
    {
        var result = SweepLoader.Parse("""
            name: ok
            objective: {metric: psnr_cross, goal: maximize}
            base: {trainer.lr: 0.002}
            matrix:
              - name: a
                expect: "fail (noise leak)"
              - name: b
                expect: {text: "pass?", verdict: pass, confident: false}
            seeds: [3, 5]
            """, "t.yaml", FakeTrialConfigSchema.Instance);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("ok", result.Spec.Name);
        Assert.Equal(ObjectiveGoal.Maximize, result.Spec.Objective!.Goal);
        Assert.Equal([3L, 5L], result.Spec.Seeds);
        Assert.Equal(new Expectation("fail (noise leak)", null), result.Spec.Matrix[0].Expect);
        Assert.Equal(new Expectation("pass?", ExpectedVerdict.Pass, Confident: false), result.Spec.Matrix[1].Expect);
    }

    [Fact]
    public void Unknown_key_is_reported_with_closest_valid_key()
    {
        var error = Single("""
            name: t
            qestion: why?
            """);

        AssertAt(error, 2, 1, "qestion", "did you mean `question`?");
        Assert.Equal("t.yaml:2:1: qestion: " + error.Message, error.ToString());
    }

    [Fact]
    public void Override_that_names_no_config_key_points_at_the_wrong_segment()
    {
        var error = Single("""
            name: t
            base:
              model.encodr.latent_channels: 64
            """);

        AssertAt(error, 3, 9, "base.model.encodr.latent_channels", "did you mean `model.encoder`?");
    }

    [Fact]
    public void Nested_override_key_is_checked_at_its_level()
    {
        var error = Single("""
            name: t
            base:
              trainer:
                loss_weights: {recon: 0.1, crosss: 1.0}
            """);

        AssertAt(error, 4, 32, "base.trainer.loss_weights.crosss", "did you mean `trainer.loss_weights.cross`?");
    }

    [Fact]
    public void Wrong_type_names_expected_and_found()
    {
        var error = Single("""
            name: t
            base:
              trainer.epochs: many
            """);

        AssertAt(error, 3, 19, "base.trainer.epochs", "expected a number, found a string `many`");
    }

    [Fact]
    public void Quoted_number_is_a_string_and_a_wrong_type()
    {
        var error = Single("""
            name: t
            base: {data.image_size: "64"}
            """);

        AssertAt(error, 2, 25, "base.data.image_size", "expected a number");
    }

    [Fact]
    public void List_elements_are_checked_against_the_default_elements()
    {
        var error = Single("""
            name: t
            base:
              model.encoder.features: [16, big, 64]
            """);

        AssertAt(error, 3, 32, "base.model.encoder.features[1]", "expected a number");
    }

    [Fact]
    public void Unknown_reference_is_located_and_lists_the_valid_ones()
    {
        var error = Single("""
            name: t
            references: [noisy_input, supervised_crosss]
            """);

        AssertAt(error, 2, 27, "references[1]",
            "unknown value `supervised_crosss`; did you mean `supervised_cross`? (valid values: noisy_input, classical, supervised_cross)");
    }

    [Fact]
    public void References_must_be_a_list_without_repeats()
    {
        AssertAt(Single("name: t\nreferences: classical\n"), 2, 13, "references", "expected a list of references");
        AssertAt(Single("name: t\nreferences: [classical, classical]\n"), 2, 25, "references[1]", "reference `classical` is listed twice");
    }

    [Fact]
    public void Unknown_enum_value_lists_the_valid_values()
    {
        var error = Single("""
            name: t
            matrix:
              - name: a
                overrides:
                  trainer.cross_domain_strategy: no_skips
            """);

        AssertAt(error, 5, 38, "matrix[0].overrides.trainer.cross_domain_strategy",
            "did you mean `no_skip`? (valid values: use_source_skip, use_target_skip, no_skip, zero_skip, mixed_skip)");
    }

    [Fact]
    public void Empty_grid_list_is_refused()
    {
        var error = Single("""
            name: t
            grid:
              trainer.lr: []
            """);

        AssertAt(error, 3, 15, "grid.trainer.lr", "empty grid list");
    }

    [Fact]
    public void Grid_key_that_is_no_config_key_and_no_named_axis_is_refused()
    {
        var error = Single("""
            name: t
            grid:
              trainer.loss_weight.recon: [0.1]
            """);

        AssertAt(error, 3, 11, "grid.trainer.loss_weight.recon", "did you mean `trainer.loss_weights`?");
    }

    [Fact]
    public void Missing_schedule_reference_is_reported_with_the_available_ones()
    {
        var errors = Errors("""
            name: t
            schedules:
              progressive:
                - {from_epoch: 1, loss_weights: {recon: 1.0}}
            matrix:
              - name: a
                schedule: progresive
              - name: b
                overrides: {trainer.schedule: warmup}
            """);

        Assert.Equal(2, errors.Count);
        AssertAt(errors[0], 7, 15, "matrix[0].schedule", "no schedule named `progresive`; did you mean `progressive`? (available: progressive)");
        AssertAt(errors[1], 9, 35, "matrix[1].overrides.trainer.schedule", "no schedule named `warmup`");
    }

    [Fact]
    public void Schedule_stage_with_unknown_weight_and_decreasing_epoch_is_refused()
    {
        var errors = Errors("""
            name: t
            schedules:
              s:
                - {from_epoch: 3, loss_weights: {recon: 1.0}}
                - {from_epoch: 2, loss_weights: {recn: 1.0}}
            """);

        Assert.Equal(2, errors.Count);
        AssertAt(errors[0], 5, 20, "schedules.s[1].from_epoch", "increasing epochs");
        AssertAt(errors[1], 5, 38, "schedules.s[1].loss_weights.recn", "did you mean `recon`?");
    }

    [Fact]
    public void Malformed_when_points_inside_the_expression()
    {
        var error = Single("""
            name: t
            when: model.skip_mode = additive
            """);

        AssertAt(error, 2, 23, "when", "use '=='");
    }

    [Fact]
    public void When_with_unknown_key_or_enum_value_is_refused_at_its_column()
    {
        var errors = Errors("""
            name: t
            grid:
              model.skip_weight:
                values: [0.5, 1.0]
                when: "model.skip_mod == additive"
            when: model.skip_mode == addtive
            """);

        Assert.Equal(2, errors.Count);
        AssertAt(errors[0], 5, 18, "grid.model.skip_weight.when", "did you mean `model.skip_mode`?");
        AssertAt(errors[1], 6, 26, "when", "unknown value `addtive` for `model.skip_mode`; did you mean `additive`?");
    }

    [Fact]
    public void When_comparing_a_number_key_with_a_word_is_refused()
    {
        var error = Single("""
            name: t
            when: model.skip_weight == additive
            """);

        AssertAt(error, 2, 28, "when", "holds a number");
    }

    [Fact]
    public void Yaml_syntax_error_carries_its_position()
    {
        var error = Single("name: t\nbase: {trainer.lr: 0.1\nmatrix: []\n");

        Assert.StartsWith("YAML syntax error", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2, error.ToString());
    }

    [Fact]
    public void Duplicate_keys_are_a_syntax_error()
    {
        var error = Single("name: t\nname: u\n");

        Assert.Equal(2, error.Line);
        Assert.Contains("uplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_over_the_size_limit_is_refused_before_parsing()
    {
        var text = "name: t\n" + "# " + new string('x', SweepLoader.MaxFileBytes) + "\n";

        var error = Single(text);

        AssertAt(error, 1, 1, string.Empty, "limit is 1048576 bytes");
    }

    [Fact]
    public void File_over_the_size_limit_is_refused_without_reading_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sweep-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "name: t\n# " + new string('x', SweepLoader.MaxFileBytes) + "\n", Encoding.UTF8);
        try
        {
            var result = SweepLoader.Load(path, FakeTrialConfigSchema.Instance);

            var error = Assert.Single(result.Errors);
            Assert.Equal(path, error.File);
            Assert.Contains("limit", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Missing_file_is_an_error_not_an_exception()
    {
        var result = SweepLoader.Load("/nonexistent/sweep.yaml", FakeTrialConfigSchema.Instance);

        Assert.Contains("does not exist", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row_overrides_for_an_unknown_profile_list_the_available_profiles()
    {
        var error = Single("""
            name: t
            profiles:
              cpu: {overrides: {device: cpu}}
              gpu: {overrides: {device: cuda}}
            matrix:
              - name: a
                profiles:
                  gpux: {trainer.epochs: 2}
            """);

        AssertAt(error, 8, 7, "matrix[0].profiles.gpux", "no profile named `gpux`; did you mean `gpu`? (available: cpu, gpu)");
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_file_order()
    {
        var errors = Errors("""
            name: t
            objective: {metric: psnr, goal: maximise}
            base:
              trainer.epochs: "6"
              model.skip_mode: addditive
            grid:
              trainer.lr: []
            matrix:
              - overrides: {device: gpu}
            seeds: 0
            unknown: 1
            """);

        Assert.Equal(
            [(2, 33), (4, 19), (5, 20), (7, 15), (9, 5), (9, 25), (10, 8), (11, 1)],
            errors.Select(e => (e.Line, e.Column)).ToList());
        Assert.Contains("valid values: maximize, minimize", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("missing required key `name`", errors[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_file_is_refused()
    {
        AssertAt(Single("# nothing\n"), 1, 1, string.Empty, "empty");
    }
}
