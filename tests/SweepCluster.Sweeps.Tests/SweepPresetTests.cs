using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

/// <summary>
/// Presets (<c>preset:</c> at the top and in rows): where they apply in a trial's order, how a row shows
/// one, and where their problems are reported. Each test writes its files into a folder of its own.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SweepPresetTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sweep-presets-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private SweepLoadResult Load(string sweep) => SweepLoader.Load(Write("sweep.yaml", sweep), FakeTrialConfigSchema.Instance);

    private SweepSpec Spec(string sweep)
    {
        var result = Load(sweep);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Spec;
    }

    private IReadOnlyList<TrialSpec> Trials(string sweep, string? profile = null)
    {
        var expansion = SweepExpander.Expand(Spec(sweep), profile, FakeTrialConfigSchema.Instance);
        Assert.True(expansion.Success, string.Join("\n", expansion.Errors));
        return expansion.Trials;
    }

    private IReadOnlyList<SweepError> Errors(string sweep)
    {
        var result = Load(sweep);
        Assert.False(result.Success, "the sweep was expected to be refused");
        return result.Errors;
    }

    private static JsonNode? At(JsonObject config, string path)
    {
        JsonNode? node = config;
        foreach (var segment in path.Split('.'))
        {
            node = node is JsonArray list ? list[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : node![segment];
        }

        return node;
    }

    private static double Number(JsonObject config, string path) => At(config, path)!.GetValue<double>();

    private static void AssertAt(SweepError error, string file, int line, int column, string path, string messagePart)
    {
        Assert.Equal(file, error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(path, error.Path);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_level_preset_applies_before_base_and_the_profile_and_reaches_the_reference_trial()
    {
        Write("presets/repo.yaml", """
            description: Settings of the public implementation.
            overrides:
              trainer:
                lr: 0.009
                epochs: 9
              trainer.weight_decay: 0.01
            """);

        var spec = Spec("""
            name: t
            preset: presets/repo.yaml
            references: [supervised_cross]
            base: {trainer.lr: 0.002}
            profiles:
              small: {overrides: {trainer.epochs: 5}}
            matrix:
              - name: a
                overrides: {trainer.cross_domain_strategy: no_skip}
            """);
        var trials = SweepExpander.Expand(spec, "small", FakeTrialConfigSchema.Instance).Trials;

        Assert.Equal("repo", spec.Preset!.Name);
        Assert.Equal(Path.Combine(_folder, "presets", "repo.yaml"), spec.Preset.Path);
        Assert.Equal("Settings of the public implementation.", spec.Preset.Description);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal(0.002, Number(t.Config, "trainer.lr"));
            Assert.Equal(5, Number(t.Config, "trainer.epochs"));
            Assert.Equal(0.01, Number(t.Config, "trainer.weight_decay"));
        });

        // A top-level preset is shared by every trial, so it varies nothing and adds no parameter.
        Assert.Equal(["trainer.cross_domain_strategy"], trials[1].Parameters.Keys);
        Assert.Equal(["trainer.mode"], trials[0].Parameters.Keys);
    }

    [Fact]
    public void Row_preset_applies_after_the_profile_and_before_the_rows_own_overrides_profiles_schedule_and_grid()
    {
        Write("presets/top.yaml", """
            overrides: {trainer.lr: 0.009, trainer.weight_decay: 0.01}
            """);
        Write("presets/row.yaml", """
            overrides:
              data.batch_size: 16
              trainer.warmup_steps: 20
              trainer.mixed_alpha: 0.25
              trainer.grad_clip: 2.0
              model.noise_channels: 8
              trainer.schedule: ramp
              trainer.loss_weights.edge: 0.3
            """);

        var trials = Trials("""
            name: t
            preset: presets/top.yaml
            base: {trainer.lr: 0.002, data.batch_size: 4}
            schedules:
              ramp:
                - {from_epoch: 1, loss_weights: {recon: 1.0}}
                - {from_epoch: 2, loss_weights: {recon: 0.1}}
              flat:
                - {from_epoch: 1, loss_weights: {recon: 0.5}}
            profiles:
              small: {overrides: {trainer.epochs: 5, trainer.warmup_steps: 10}}
            matrix:
              - name: a
                preset: presets/row.yaml
                overrides: {trainer.mixed_alpha: 0.75}
                profiles:
                  small: {model.noise_channels: 16}
                schedule: flat
            grid:
              trainer.loss_weights.edge: [0.0, 0.1]
            """, "small");

        Assert.Equal(2, trials.Count);
        var config = trials[0].Config;
        Assert.Equal(0.002, Number(config, "trainer.lr"));              // top preset, then base
        Assert.Equal(0.01, Number(config, "trainer.weight_decay"));     // only in the top preset
        Assert.Equal(16, Number(config, "data.batch_size"));            // base, then row preset
        Assert.Equal(20, Number(config, "trainer.warmup_steps"));       // profile, then row preset
        Assert.Equal(0.75, Number(config, "trainer.mixed_alpha"));      // row preset, then row overrides
        Assert.Equal(2.0, Number(config, "trainer.grad_clip"));         // only in the row preset
        Assert.Equal(16, Number(config, "model.noise_channels"));       // row preset, then row profiles.small
        Assert.Equal(0.5, Number(config, "trainer.schedule.0.loss_weights.recon")); // row preset, then row schedule
        Assert.Single(At(config, "trainer.schedule")!.AsArray());
        Assert.Equal([0.0, 0.1], trials.Select(t => Number(t.Config, "trainer.loss_weights.edge"))); // row preset, then grid

        // The preset shows by name first; its own keys are not parameters of the sweep.
        Assert.Equal(
            ["preset", "trainer.mixed_alpha", "model.noise_channels", "trainer.schedule", "trainer.loss_weights.edge"],
            trials[0].Parameters.Keys);
        Assert.Equal("row", trials[0].Parameters["preset"]!.GetValue<string>());
        Assert.Equal("flat", trials[0].Parameters["trainer.schedule"]!.GetValue<string>());
    }

    [Fact]
    public void Two_rows_share_one_preset_file_and_a_row_without_one_has_no_preset_parameter()
    {
        Write("presets/repo.yaml", """
            overrides: {model: {skip_mode: additive, skip_weight: 0.5}}
            """);

        var spec = Spec("""
            name: t
            matrix:
              - name: a
                preset: presets/repo.yaml
              - name: b
                preset: ./presets/../presets/repo.yaml
                overrides: {model.skip_weight: 0.25}
              - name: c
            """);
        var trials = SweepExpander.Expand(spec, null, FakeTrialConfigSchema.Instance).Trials;

        Assert.Equal(spec.Matrix[0].Preset!.Path, spec.Matrix[1].Preset!.Path);
        Assert.Same(spec.Matrix[0].Preset!.Overrides, spec.Matrix[1].Preset!.Overrides);
        Assert.Equal((4, 13), (spec.Matrix[0].Preset!.Location.Line, spec.Matrix[0].Preset!.Location.Column));
        Assert.Null(spec.Matrix[2].Preset);
        Assert.Null(spec.Preset);

        Assert.Equal(["additive", "additive", "concat"], trials.Select(t => At(t.Config, "model.skip_mode")!.GetValue<string>()));
        Assert.Equal([0.5, 0.25, 1.0], trials.Select(t => Number(t.Config, "model.skip_weight")));
        Assert.Equal("repo", trials[0].Parameters["preset"]!.GetValue<string>());
        Assert.Equal("repo", trials[1].Parameters["preset"]!.GetValue<string>());
        Assert.False(trials[2].Parameters.ContainsKey("preset"));
        Assert.Equal(["model.skip_weight"], trials[2].Parameters.Keys);
    }

    [Fact]
    public void Absolute_preset_path_loads_even_when_the_sweep_text_has_a_bare_file_name()
    {
        var preset = Write("elsewhere/abs.yaml", "overrides: {trainer.epochs: 3}");

        var result = SweepLoader.Parse($"""
            name: t
            preset: "{preset}"
            """, "t.yaml", FakeTrialConfigSchema.Instance);

        Assert.True(result.Success, string.Join("\n", result.Errors));
        Assert.Equal("abs", result.Spec.Preset!.Name);
        Assert.Equal(3, Number(SweepExpander.Expand(result.Spec, null, FakeTrialConfigSchema.Instance).Trials[0].Config, "trainer.epochs"));
    }

    [Fact]
    public void Missing_preset_file_is_located_at_the_reference_and_names_the_resolved_path_with_other_problems()
    {
        var sweep = Path.Combine(_folder, "sweep.yaml");
        var gone = $"{Path.GetFileName(_folder)}-gone.yaml";
        var errors = Errors($"""
            name: t
            preset: presets/nope.yaml
            qestion: why?
            matrix:
              - name: a
                preset: ../{gone}
            """);

        Assert.Equal(3, errors.Count);
        AssertAt(errors[0], sweep, 2, 9, "preset", $"the preset file `{Path.Combine(_folder, "presets", "nope.yaml")}` does not exist");
        AssertAt(errors[1], sweep, 3, 1, "qestion", "did you mean `question`?");
        AssertAt(errors[2], sweep, 6, 13, "matrix[0].preset", $"`{Path.Combine(Path.GetDirectoryName(_folder)!, gone)}` does not exist");
    }

    [Fact]
    public void Unknown_key_in_a_preset_file_is_located_in_that_file_once_however_many_rows_name_it()
    {
        var preset = Write("presets/repo.yaml", """
            description: x
            overrides: {trainer.epochs: 3}
            seeds: 3
            """);

        var errors = Errors("""
            name: t
            matrix:
              - {name: a, preset: presets/repo.yaml}
              - {name: b, preset: presets/repo.yaml}
            """);

        var error = Assert.Single(errors);
        AssertAt(error, preset, 3, 1, "seeds", "unknown key `seeds`");
        Assert.Contains("(valid keys: description, overrides)", error.Message, StringComparison.Ordinal);
        Assert.Equal($"{preset}:3:1: seeds: {error.Message}", error.ToString());
    }

    [Fact]
    public void Bad_override_in_a_preset_file_is_checked_against_the_trial_schema_in_that_file()
    {
        var preset = Write("presets/repo.yaml", """
            overrides:
              model.encodr.latent_channels: 64
              trainer: {epochs: many}
            """);

        var errors = Errors("""
            name: t
            preset: presets/repo.yaml
            base: {trainer.lr: fast}
            """);

        Assert.Equal(3, errors.Count);

        // The sweep's own problems come first, then the preset file's, each in file order.
        AssertAt(errors[0], Path.Combine(_folder, "sweep.yaml"), 3, 20, "base.trainer.lr", "expected a number");
        AssertAt(errors[1], preset, 2, 9, "overrides.model.encodr.latent_channels", "did you mean `model.encoder`?");
        AssertAt(errors[2], preset, 3, 21, "overrides.trainer.epochs", "expected a number, found a string `many`");
    }

    [Fact]
    public void Preset_that_names_a_preset_is_refused_in_the_preset_file()
    {
        Write("presets/inner.yaml", "overrides: {trainer.epochs: 3}");
        var outer = Write("presets/outer.yaml", """
            preset: inner.yaml
            overrides: {trainer.epochs: 4}
            """);

        var error = Assert.Single(Errors("""
            name: t
            matrix:
              - {name: a, preset: presets/outer.yaml}
            """));

        AssertAt(error, outer, 1, 1, "preset", "a preset cannot name another preset");
    }

    [Fact]
    public void Preset_that_is_not_a_mapping_or_lacks_overrides_is_refused_in_the_preset_file()
    {
        var list = Write("presets/list.yaml", """
            - trainer.epochs: 3
            """);
        var bare = Write("presets/bare.yaml", """
            description: nothing to apply
            """);
        var empty = Write("presets/empty.yaml", "");

        var errors = Errors("""
            name: t
            preset: presets/list.yaml
            matrix:
              - {name: a, preset: presets/bare.yaml}
              - {name: b, preset: presets/empty.yaml}
            """);

        Assert.Equal(3, errors.Count);
        AssertAt(errors[0], list, 1, 1, string.Empty, "expected a preset (a mapping), found a list");
        AssertAt(errors[1], bare, 1, 1, string.Empty, "missing required key `overrides`");
        AssertAt(errors[2], empty, 1, 1, string.Empty, "the preset file is empty; it needs `overrides`");
    }

    [Fact]
    public void Preset_file_over_the_size_limit_is_refused_before_it_is_parsed()
    {
        Write("presets/big.yaml", "overrides: {trainer.epochs: 3}\n" + new string('#', SweepLoader.MaxFileBytes));

        var error = Assert.Single(Errors("""
            name: t
            preset: presets/big.yaml
            """));

        AssertAt(error, Path.Combine(_folder, "sweep.yaml"), 2, 9, "preset", $"bytes; the limit is {SweepLoader.MaxFileBytes} bytes");
    }

    [Fact]
    public void Problem_of_a_resolved_config_points_at_the_preset_value_that_caused_it()
    {
        var preset = Write("presets/odd.yaml", """
            overrides:
              data.image_size: 30
            """);

        var spec = Spec("""
            name: t
            matrix:
              - {name: odd, preset: presets/odd.yaml}
            """);
        var expansion = SweepExpander.Expand(spec, null, FakeTrialConfigSchema.Instance);

        var error = Assert.Single(expansion.Errors);
        AssertAt(error, preset, 2, 20, "data.image_size", "30 is not divisible by 4");
    }

    [Fact]
    public void Preset_may_name_a_schedule_of_the_sweep_that_uses_it()
    {
        Write("presets/sched.yaml", "overrides: {trainer.schedule: warm}");

        var trials = Trials("""
            name: t
            preset: presets/sched.yaml
            schedules:
              warm: [{from_epoch: 1, loss_weights: {cross: 0.1}}]
            """);

        Assert.Equal(0.1, Number(trials[0].Config, "trainer.schedule.0.loss_weights.cross"));
    }
}
