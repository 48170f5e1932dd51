using System.Text.Json.Nodes;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class TrialConfigTests
{
    [Fact]
    public void Empty_document_takes_every_default_of_the_contract()
    {
        var config = TrialConfig.Parse(string.Empty, "empty.yaml");

        Assert.Equal(DeviceKind.Auto, config.Device);
        Assert.Equal(DataKind.Synthetic, config.Data.Kind);
        Assert.Equal(64, config.Data.ImageSize);
        Assert.Equal(1234, config.Data.Seed);
        Assert.Equal(0.08, config.Data.Noise.SigmaA);
        Assert.Equal([32, 64, 128], config.Model.Encoder.Features);
        Assert.Equal([128, 64, 32], config.Model.DecoderA.Features);
        Assert.Equal(256, config.Model.DecoderB.LatentChannels);
        Assert.Equal(SkipMode.Concat, config.Model.SkipMode);
        Assert.Equal(0.0002, config.Model.Discriminator.Lr);
        Assert.Equal(TrainerMode.C2c, config.Trainer.Mode);
        Assert.Equal(CrossSkips.Target, config.Trainer.CrossSkips);
        Assert.Equal(CrossLossScale.None, config.Trainer.CrossLossScale);
        Assert.Equal(MissingSkipWidth.Skip, config.Model.MissingSkipWidth);
        Assert.False(config.Trainer.AntiCollapse.Enabled);
        Assert.Equal(new LossWeights(1.0, 0.5, 1.0, 0.0, 0.0), config.Trainer.LossWeights);
        Assert.Empty(config.Trainer.Schedule);
        Assert.Equal(OptimizerKind.Adam, config.Trainer.Optimizer);
        Assert.Equal([0.9, 0.999], config.Trainer.Betas);
        Assert.Equal(LearningRateScheduleKind.Cosine, config.Trainer.LrSchedule);
        Assert.Equal(8, config.Trainer.EffectiveStepsPerEpoch(config.Data));
        Assert.Equal(3, config.Evaluation.TrendEpochs);
    }

    [Fact]
    public void Yaml_values_override_defaults_and_keep_the_rest()
    {
        var config = TrialConfig.Parse(
            """
            name: custom
            device: cpu
            data:
              image_size: 48
              noise: {kind: rician, sigma_b: 0.1}
            model:
              architecture: noise_aware
              skip_mode: additive
            trainer:
              cross_domain_strategy: mixed_skip
              optimizer: adamw
              lr: 1
              schedule:
                - from_epoch: 2
                  loss_weights: {recon: 0.1}
            """,
            "custom.yaml");

        Assert.Equal("custom", config.Name);
        Assert.Equal(DeviceKind.Cpu, config.Device);
        Assert.Equal(48, config.Data.ImageSize);
        Assert.Equal(NoiseKind.Rician, config.Data.Noise.Kind);
        Assert.Equal(0.08, config.Data.Noise.SigmaA);
        Assert.Equal(0.1, config.Data.Noise.SigmaB);
        Assert.Equal(ModelArchitecture.NoiseAware, config.Model.Architecture);
        Assert.Equal(SkipMode.Additive, config.Model.SkipMode);
        Assert.Equal(CrossSkips.Mixed, config.Trainer.CrossSkips);
        Assert.Equal(OptimizerKind.AdamW, config.Trainer.Optimizer);
        Assert.Equal(1.0, config.Trainer.Lr);
        var stage = Assert.Single(config.Trainer.Schedule);
        Assert.Equal(2, stage.FromEpoch);
        Assert.Equal(new PartialLossWeights(null, 0.1, null, null, null), stage.LossWeights);
    }

    [Fact]
    public void Json_documents_parse_like_yaml()
    {
        var config = TrialConfig.Parse("""{"trainer": {"epochs": 9, "mode": "supervised"}, "name": "j"}""", "trial.json");

        Assert.Equal(9, config.Trainer.Epochs);
        Assert.Equal(TrainerMode.Supervised, config.Trainer.Mode);
    }

    [Fact]
    public void Tree_round_trip_gives_an_equal_configuration_and_tree()
    {
        var config = TrialConfig.Parse(
            "trainer: {schedule: [{from_epoch: 3, loss_weights: {cross: 0.5, content: 2}}], betas: [0.5, 0.9]}\nmodel: {encoder: {features: [8, 16, 32]}}",
            "t.yaml");

        var tree = config.ToTree();
        var again = TrialConfig.FromTree(tree);

        Assert.Equal(TrialConfig.CanonicalJson(tree), TrialConfig.CanonicalJson(again.ToTree()));
        Assert.Equal([8, 16, 32], again.Model.Encoder.Features);
        Assert.Equal(config.Trainer.Schedule[0], again.Trainer.Schedule[0]);
        Assert.Equal(config.Id(), again.Id());
    }

    [Fact]
    public void Default_tree_equals_the_tree_of_the_default_configuration()
    {
        Assert.Equal(TrialConfig.CanonicalJson(TrialConfig.DefaultTree()), TrialConfig.CanonicalJson(TrialConfig.Default.ToTree()));
    }

    [Fact]
    public void Canonical_json_sorts_keys_and_writes_shortest_numbers()
    {
        var tree = new JsonObject { ["b"] = 1.0, ["a"] = new JsonArray(0.1, 2L), ["c"] = "x" };

        Assert.Equal("""{"a":[0.1,2],"b":1,"c":"x"}""", TrialConfig.CanonicalJson(tree));
    }

    [Fact]
    public void Trial_id_ignores_the_name_and_missing_defaults()
    {
        var partial = new JsonObject { ["name"] = "one", ["trainer"] = new JsonObject { ["epochs"] = 6 } };
        var full = TrialConfig.DefaultTree();
        full["name"] = "two";

        var id = TrialConfig.TrialId(partial);

        Assert.Equal(id, TrialConfig.TrialId(full));
        Assert.Equal(16, id.Length);
        Assert.NotEqual(id, TrialConfig.TrialId(new JsonObject { ["trainer"] = new JsonObject { ["epochs"] = 7 } }));
    }

    [Fact]
    public void Unknown_key_names_the_path_position_and_closest_valid_key()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("trainer:\n  loss_weigths: {recon: 0.1}\n", "bad.yaml")).Errors);

        Assert.Contains("trainer.loss_weigths", error, StringComparison.Ordinal);
        Assert.Contains("bad.yaml, line 2, column 3", error, StringComparison.Ordinal);
        Assert.Contains("did you mean 'loss_weights'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_type_names_the_path_and_the_value()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("trainer:\n  epochs: six\n", "bad.yaml")).Errors);

        Assert.StartsWith("trainer.epochs (bad.yaml, line 2, column 3)", error, StringComparison.Ordinal);
        Assert.Contains("expected an integer", error, StringComparison.Ordinal);
        Assert.Contains("\"six\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Quoted_number_is_a_string_and_refused_for_a_number_key()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("trainer: {lr: '0.1'}", "q.yaml")).Errors);

        Assert.Contains("trainer.lr", error, StringComparison.Ordinal);
        Assert.Contains("expected a number", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_enum_value_lists_the_valid_values()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("trainer:\n  cross_skips: skip_all\n", "bad.yaml")).Errors);

        Assert.Contains("trainer.cross_skips", error, StringComparison.Ordinal);
        Assert.Contains("'skip_all'", error, StringComparison.Ordinal);
        Assert.Contains("input, target, none, zeros, mixed", error, StringComparison.Ordinal);
        Assert.Contains("old names also read: use_source_skip, use_target_skip, no_skip, zero_skip, mixed_skip", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("use_source_skip", "target")]
    [InlineData("use_target_skip", "input")]
    [InlineData("no_skip", "none")]
    [InlineData("zero_skip", "zeros")]
    [InlineData("mixed_skip", "mixed")]
    public void Old_cross_skip_names_read_as_the_new_ones_with_the_notes_meaning_and_the_same_trial_id(string oldName, string newName)
    {
        var old = TrialConfig.Parse($"trainer:\n  cross_domain_strategy: {oldName}\n", "old.yaml");
        var oldValueNewKey = TrialConfig.Parse($"trainer:\n  cross_skips: {oldName}\n", "old-value.yaml");
        var current = TrialConfig.Parse($"trainer:\n  cross_skips: {newName}\n", "new.yaml");

        Assert.Equal(current.Trainer.CrossSkips, old.Trainer.CrossSkips);
        Assert.Equal(current.Id(), old.Id());
        Assert.Equal(current.Id(), oldValueNewKey.Id());
        Assert.Equal(newName, current.ToTree()["trainer"]!["cross_skips"]!.GetValue<string>());
        Assert.False(((System.Text.Json.Nodes.JsonObject)old.ToTree()["trainer"]!).ContainsKey("cross_domain_strategy"));
    }

    [Fact]
    public void Old_and_new_cross_skip_keys_with_different_values_are_refused()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(
            () => TrialConfig.Parse("trainer:\n  cross_skips: input\n  cross_domain_strategy: no_skip\n", "both.yaml")).Errors);

        Assert.Contains("trainer.cross_domain_strategy", error, StringComparison.Ordinal);
        Assert.Contains("set 'cross_skips' only", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Half_input_zeros_are_refused_where_a_real_skip_has_another_width()
    {
        var errors = Assert.Throws<TrialConfigException>(() => TrialConfig.Parse(
            "model:\n  missing_skip_width: half_input\n  decoder_a: {features: [256, 128, 64]}\n  decoder_b: {features: [256, 128, 64]}\n", "wide.yaml")).Errors;

        Assert.Contains(errors, e => e.Contains("model.missing_skip_width", StringComparison.Ordinal) && e.Contains("trainer.cross_skips: none", StringComparison.Ordinal));
        var allowed = TrialConfig.Parse(
            "model:\n  missing_skip_width: half_input\n  decoder_a: {features: [256, 128, 64]}\n  decoder_b: {features: [256, 128, 64]}\ntrainer:\n  same_domain_use_skip: false\n  cross_skips: none\n", "wide.yaml");
        Assert.Equal(MissingSkipWidth.HalfInput, allowed.Model.MissingSkipWidth);
    }

    [Fact]
    public void A_stage_can_start_a_fresh_phase_with_its_own_rate_and_round_trips()
    {
        var config = TrialConfig.Parse(
            "trainer:\n  epochs: 4\n  schedule:\n    - {from_epoch: 3, loss_weights: {edge: 0.05}, lr: 0.0001, fresh_optimizer: true}\n", "phases.yaml");

        var stage = Assert.Single(config.Trainer.Schedule);
        Assert.Equal(0.0001, stage.Lr);
        Assert.True(stage.FreshOptimizer);
        Assert.Equal(stage, Assert.Single(TrialConfig.FromTree(config.ToTree()).Trainer.Schedule));
        Assert.Equal(config.Id(), TrialConfig.FromTree(config.ToTree()).Id());
        Assert.Contains("lr", Assert.Throws<TrialConfigException>(() => TrialConfig.Parse(
            "trainer:\n  epochs: 4\n  schedule:\n    - {from_epoch: 3, loss_weights: {}, lr: 0}\n", "bad.yaml")).Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var ex = Assert.Throws<TrialConfigException>(() => TrialConfig.Parse(
            """
            devise: cpu
            data:
              batch_size: 100
              noise: {kind: uniform}
            model:
              decoder_a: {features: [64, 32]}
            trainer:
              epochs: many
              schedule:
                - {from_epoch: 0, loss_weights: {crosss: 1}}
              loss_weights: {adversarial: 0.1}
            """,
            "many.yaml"));

        string[] expected =
        [
            "devise (many.yaml, line 1",
            "data.noise.kind (many.yaml, line 4",
            "trainer.epochs (many.yaml, line 8",
            "trainer.schedule[0].loss_weights.crosss",
            "data.batch_size",
            "model.decoder_a.features",
            "trainer.schedule[0].from_epoch",
            "model.discriminator.enabled",
        ];
        foreach (var prefix in expected)
        {
            Assert.Contains(ex.Errors, e => e.StartsWith(prefix, StringComparison.Ordinal));
        }

        Assert.Equal(expected.Length, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("did you mean 'device'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("did you mean 'cross'", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_yaml_is_refused_with_its_position()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("trainer: [unclosed\n", "broken.yaml")).Errors);

        Assert.StartsWith("broken.yaml, line", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Allowed_values_are_listed_for_enum_paths_only()
    {
        Assert.Equal(["adam", "adamw"], TrialConfig.AllowedValues("trainer.optimizer"));
        Assert.Equal(["shared", "separate", "noise_aware"], TrialConfig.AllowedValues("model.architecture"));
        Assert.Equal(["gaussian", "rician"], TrialConfig.AllowedValues("data.noise.kind"));
        Assert.Null(TrialConfig.AllowedValues("trainer.lr"));
        Assert.Null(TrialConfig.AllowedValues("trainer.nonexistent"));
    }

    [Fact]
    public void Validate_tree_accepts_the_default_tree()
    {
        Assert.Empty(TrialConfig.ValidateTree(TrialConfig.DefaultTree()));
    }

    [Fact]
    public void Validate_tree_reports_semantic_errors_with_paths()
    {
        var tree = TrialConfig.DefaultTree();
        tree["model"]!["encoder"]!["features"] = new JsonArray();
        tree["data"]!["image_size"] = 0;
        tree["trainer"]!["loss_weights"]!["adversarial"] = 0.5;
        tree["trainer"]!["optimizer"] = "sgd";

        var errors = TrialConfig.ValidateTree(tree);

        Assert.Contains(errors, e => e.StartsWith("model.encoder.features: must list at least one level", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("data.image_size: must be positive", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("model.discriminator.enabled", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("trainer.optimizer: unknown value 'sgd'; valid values: adam, adamw", StringComparison.Ordinal));
    }

    [Fact]
    public void Skip_weight_with_concat_is_allowed()
    {
        var config = TrialConfig.Parse("model: {skip_mode: concat, skip_weight: 0.3}", "s.yaml");

        Assert.Equal(0.3, config.Model.SkipWeight);
    }

    [Fact]
    public void Image_size_must_survive_every_pooling()
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse("data: {image_size: 50}", "p.yaml")).Errors);

        Assert.Contains("not divisible by 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Complex_keys_default_to_a_real_network_and_round_trip()
    {
        Assert.False(TrialConfig.Default.Model.Complex);
        Assert.Equal(0.0, TrialConfig.Default.Data.Phase);

        var config = TrialConfig.Parse("model: {complex: true}\ndata: {phase: 0.75}", "c.yaml");
        var again = TrialConfig.FromTree(config.ToTree());

        Assert.True(again.Model.Complex);
        Assert.Equal(0.75, again.Data.Phase);
        Assert.Equal(config.Id(), again.Id());
        Assert.NotEqual(config.Id(), TrialConfig.Parse("data: {phase: 0.75}", "r.yaml").Id());
    }

    [Theory]
    [InlineData("model: {complex: true}\ndata: {phase: 0.5, representation: real_imag}")]
    [InlineData("model: {complex: true}\ndata: {representation: real_imag}")]
    [InlineData("model: {complex: true, architecture: separate, skip_mode: additive}\ndata: {phase: 0.5}")]
    [InlineData("model: {complex: true}\ndata: {kind: npy, path: /data, representation: real_imag}")]
    public void A_complex_network_with_two_data_channels_is_valid(string document)
    {
        Assert.True(TrialConfig.Parse(document, "ok.yaml").Model.Complex);
    }

    [Theory]
    [InlineData("model: {complex: true}", "model.complex", "data.phase > 0")]
    [InlineData("model: {complex: true}\ndata: {kind: npy, path: /data}", "model.complex", "data.representation to real_imag")]
    [InlineData("model: {complex: true, architecture: noise_aware}\ndata: {phase: 0.5}", "model.complex", "noise_aware")]
    [InlineData("data: {kind: npy, path: /data, phase: 0.5, representation: real_imag}", "data.phase", "phantom option")]
    [InlineData("data: {phase: -0.1}", "data.phase", "must not be negative")]
    [InlineData("data: {phase: 0.5, noise: {kind: rician}}", "data.noise.kind", "use gaussian")]
    public void Complex_settings_without_two_channels_or_with_an_unsupported_partner_are_refused(string document, string path, string message)
    {
        var error = Assert.Single(Assert.Throws<TrialConfigException>(() => TrialConfig.Parse(document, "bad.yaml")).Errors);

        Assert.StartsWith(path, error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_trial_file_in_the_repository_loads()
    {
        var folder = Path.Combine(RepositoryRoot.Find(), "sweeps", "trials");
        var files = Directory.GetFiles(folder, "*.yaml");

        Assert.Contains(files, f => Path.GetFileName(f) == "original.yaml");
        Assert.True(files.Length >= 6);
        foreach (var file in files)
        {
            var config = TrialConfig.Load(file);
            Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Name);
        }

        var progressive = TrialConfig.Load(Path.Combine(folder, "progressive.yaml"));
        Assert.Equal(2, progressive.Trainer.Schedule.Count);
        Assert.Equal(TrainerMode.Supervised, TrialConfig.Load(Path.Combine(folder, "supervised_reference.yaml")).Trainer.Mode);
        Assert.False(TrialConfig.Load(Path.Combine(folder, "no_skip_everywhere.yaml")).Trainer.SameDomainUseSkip);
    }
}
