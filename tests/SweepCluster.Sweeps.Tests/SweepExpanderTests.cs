using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

[Trait("Category", "Unit")]
public sealed class SweepExpanderTests
{
    private static SweepSpec Load(string yaml, ITrialConfigSchema? schema = null)
    {
        var result = SweepLoader.Parse(yaml, "t.yaml", schema ?? FakeTrialConfigSchema.Instance);
        Assert.True(result.Success, string.Join("\n", result.Errors));
        return result.Spec;
    }

    private static SweepExpansion Expand(string yaml, string? profile = null, ITrialConfigSchema? schema = null)
    {
        schema ??= FakeTrialConfigSchema.Instance;
        return SweepExpander.Expand(Load(yaml, schema), profile, schema);
    }

    private static IReadOnlyList<TrialSpec> Trials(string yaml, string? profile = null, ITrialConfigSchema? schema = null)
    {
        var expansion = Expand(yaml, profile, schema);
        Assert.True(expansion.Success, string.Join("\n", expansion.Errors));
        return expansion.Trials;
    }

    private static double Number(JsonObject config, string path)
    {
        JsonNode? node = config;
        foreach (var segment in path.Split('.'))
        {
            node = node![segment];
        }

        return node!.GetValue<double>();
    }

    private static string Text(JsonObject config, string path)
    {
        JsonNode? node = config;
        foreach (var segment in path.Split('.'))
        {
            node = node![segment];
        }

        return node!.GetValue<string>();
    }

    [Fact]
    public void Supervised_cross_reference_adds_one_trial_per_seed_from_the_base_after_the_profile()
    {
        var trials = Trials("""
            name: t
            references: [noisy_input, classical, supervised_cross]
            base: {trainer.loss_weights.recon: 0.3}
            matrix:
              - name: a
                overrides: {trainer.cross_domain_strategy: no_skip}
              - name: b
                overrides: {trainer.cross_domain_strategy: zero_skip}
            seeds: 2
            when: trainer.mode == c2c
            default_profile: small
            profiles:
              small: {overrides: {trainer.epochs: 3}}
            """);

        var references = trials.Where(t => t.Reference is not null).ToList();
        Assert.Equal(6, trials.Count);
        Assert.Equal(2, references.Count);
        Assert.Equal([0, 1], references.Select(t => t.Order));
        Assert.Equal([0L, 1L], references.Select(t => t.Seed));
        Assert.All(references, t =>
        {
            Assert.Equal(SweepReference.SupervisedCross, t.Reference);
            Assert.Equal("reference: supervised_cross", t.ConfigName);
            Assert.Equal("supervised_cross", Text(t.Config, "trainer.mode"));
            Assert.Equal(0.3, Number(t.Config, "trainer.loss_weights.recon"));
            Assert.Equal(3, Number(t.Config, "trainer.epochs"));

            // The rows' varied key keeps its default in the reference, which shows only what it is.
            Assert.Equal(Text(TinyDefaults(), "trainer.cross_domain_strategy"), Text(t.Config, "trainer.cross_domain_strategy"));
            Assert.Equal(["trainer.mode"], t.Parameters.Keys);
            Assert.Null(t.Expect);
        });
        Assert.Single(references.Select(t => t.ConfigKey).Distinct());
        Assert.All(trials.Where(t => t.Reference is null), t => Assert.Equal("c2c", Text(t.Config, "trainer.mode")));
    }

    [Fact]
    public void Without_supervised_cross_no_reference_trial_is_added()
    {
        var trials = Trials("""
            name: t
            references: [noisy_input, classical]
            seeds: 2
            """);

        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Null(t.Reference));
    }

    private static JsonObject TinyDefaults() => FakeTrialConfigSchema.Instance.CreateDefaults();

    [Fact]
    public void Matrix_times_grid_times_seeds_gives_every_combination_in_a_stable_order()
    {
        var trials = Trials("""
            name: t
            matrix:
              - name: no_skip
                overrides: {trainer.cross_domain_strategy: no_skip}
              - name: no_skip_everywhere
                overrides: {trainer: {cross_domain_strategy: no_skip, same_domain_use_skip: false}}
            grid:
              trainer.loss_weights.recon: [0.05, 0.2, 0.5]
            seeds: 2
            """);

        Assert.Equal(12, trials.Count);
        Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Order));
        Assert.Equal("no_skip recon=0.05", trials[0].ConfigName);
        Assert.Equal("no_skip_everywhere recon=0.05", trials[6].ConfigName);
        Assert.Equal([0L, 1L, 0L, 1L], trials.Take(4).Select(t => t.Seed));
        Assert.Equal(trials[0].ConfigKey, trials[1].ConfigKey);
        Assert.NotEqual(trials[0].Id, trials[1].Id);
        Assert.NotEqual(trials[0].ConfigKey, trials[2].ConfigKey);
        Assert.Equal(12, trials.Select(t => t.Id).Distinct().Count());
        Assert.Equal(6, trials.Select(t => t.ConfigKey).Distinct().Count());
        Assert.Equal(0.2, Number(trials[9].Config, "trainer.loss_weights.recon"));
        Assert.Equal("no_skip_everywhere recon=0.2", Text(trials[9].Config, "name"));
        Assert.Equal(
            ["trainer.cross_domain_strategy", "trainer.same_domain_use_skip", "trainer.loss_weights.recon"],
            trials[0].Parameters.Keys);
        Assert.True(trials[0].Parameters["trainer.same_domain_use_skip"]!.GetValue<bool>());
        Assert.False(trials[6].Parameters["trainer.same_domain_use_skip"]!.GetValue<bool>());
    }

    [Fact]
    public void Explicit_seed_list_sets_the_top_level_seed()
    {
        var trials = Trials("""
            name: t
            base: {seed: 99}
            seeds: [7, 11]
            """);

        Assert.Equal([7L, 11L], trials.Select(t => t.Seed));
        Assert.Equal([7.0, 11.0], trials.Select(t => Number(t.Config, "seed")));
        Assert.Equal("t", trials[0].ConfigName);
    }

    [Fact]
    public void Without_seeds_the_config_keeps_its_own_seed()
    {
        var trial = Assert.Single(Trials("name: t\nbase: {seed: 42}\n"));

        Assert.Equal(42L, trial.Seed);
    }

    [Fact]
    public void Random_search_draws_count_samples_deterministically_within_bounds()
    {
        const string Yaml = """
            name: t
            random:
              count: 6
              seed: 17
              parameters:
                trainer.lr: {distribution: log_uniform, low: 0.0001, high: 0.01}
                trainer.loss_weights.recon: {distribution: uniform, low: 0.05, high: 0.5}
                trainer.epochs: {distribution: int_uniform, low: 2, high: 4}
                trainer.optimizer: {distribution: choice, values: [adam, adamw]}
            """;

        var first = Trials(Yaml);
        var second = Trials(Yaml);
        var reseeded = Trials(Yaml.Replace("seed: 17", "seed: 18", StringComparison.Ordinal));

        Assert.Equal(6, first.Count);
        Assert.Equal(first.Select(t => t.Id), second.Select(t => t.Id));
        Assert.NotEqual(first.Select(t => t.Id), reseeded.Select(t => t.Id));
        Assert.All(first, t =>
        {
            Assert.InRange(Number(t.Config, "trainer.lr"), 0.0001, 0.01);
            Assert.InRange(Number(t.Config, "trainer.loss_weights.recon"), 0.05, 0.5);
            var epochs = Number(t.Config, "trainer.epochs");
            Assert.InRange(epochs, 2, 4);
            Assert.Equal(Math.Floor(epochs), epochs);
            Assert.Contains(Text(t.Config, "trainer.optimizer"), new[] { "adam", "adamw" });
            Assert.Contains("lr=", t.ConfigName, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Random_samples_cross_every_row()
    {
        var trials = Trials("""
            name: t
            matrix:
              - name: a
              - name: b
                overrides: {trainer.epochs: 3}
            random:
              count: 4
              seed: 1
              parameters:
                trainer.lr: {distribution: uniform, low: 0.001, high: 0.002}
            seeds: 2
            """);

        Assert.Equal(16, trials.Count);
        Assert.Equal(
            trials.Where(t => t.ConfigName.StartsWith("a ", StringComparison.Ordinal)).Select(t => Number(t.Config, "trainer.lr")),
            trials.Where(t => t.ConfigName.StartsWith("b ", StringComparison.Ordinal)).Select(t => Number(t.Config, "trainer.lr")));
    }

    [Fact]
    public void Rows_that_resolve_to_the_same_config_collapse_into_one_trial()
    {
        var expansion = Expand("""
            name: t
            matrix:
              - name: original
              - name: also_original
                overrides: {trainer.cross_domain_strategy: use_source_skip}
              - name: no_skip
                overrides: {trainer.cross_domain_strategy: no_skip}
            """);

        Assert.True(expansion.Success);
        Assert.Equal(["original", "no_skip"], expansion.Trials.Select(t => t.ConfigName));
        Assert.Equal(["also_original"], expansion.Trials[0].Aliases);
        Assert.Equal([0, 1], expansion.Trials.Select(t => t.Order));
        var note = Assert.Single(expansion.Notes);
        Assert.Equal(4, note.Line);
        Assert.Contains("same config as `original`", note.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_on_a_grid_axis_varies_it_only_where_it_means_something()
    {
        var trials = Trials("""
            name: t
            matrix:
              - name: concat
              - name: additive
                overrides: {model.skip_mode: additive}
            grid:
              model.skip_weight:
                values: [0.25, 0.5, 1.0]
                when: model.skip_mode == additive
            """);

        Assert.Equal(["concat", "additive skip_weight=0.25", "additive skip_weight=0.5", "additive skip_weight=1.0"], trials.Select(t => t.ConfigName));
        Assert.Equal(1.0, Number(trials[0].Config, "model.skip_weight"));
        Assert.Equal(0.25, Number(trials[1].Config, "model.skip_weight"));
    }

    [Fact]
    public void Sweep_and_row_when_skip_combinations_and_count_them()
    {
        var expansion = Expand("""
            name: t
            matrix:
              - name: shared
              - name: separate
                overrides: {model.architecture: separate}
                when: trainer.cross_domain_strategy != use_source_skip
            grid:
              trainer.cross_domain_strategy: [use_source_skip, no_skip, zero_skip]
              trainer.same_domain_use_skip: [true, false]
            when: not (trainer.same_domain_use_skip == false and trainer.cross_domain_strategy in [use_source_skip, zero_skip])
            """);

        Assert.True(expansion.Success);
        // shared: 6 - 2 (no skip in-domain but a skip across) = 4; separate: 4 - 1 more (use_source_skip with same skip) = 3.
        Assert.Equal(7, expansion.Trials.Count);
        Assert.Equal(5, expansion.Skipped);
        Assert.DoesNotContain(expansion.Trials, t =>
            Text(t.Config, "model.architecture") == "separate" && Text(t.Config, "trainer.cross_domain_strategy") == "use_source_skip");
    }

    [Fact]
    public void Profiles_apply_between_base_and_rows_and_replace_seeds_resources_and_axes()
    {
        const string Yaml = """
            name: t
            base: {trainer.lr: 0.1, trainer.epochs: 9}
            default_profile: cpu
            matrix:
              - name: a
                overrides: {trainer.epochs: 5}
                profiles:
                  gpu: {model.encoder.latent_channels: 512, model.decoder_a.latent_channels: 512, model.decoder_b.latent_channels: 512}
            grid:
              data.image_size: [64, 128]
            seeds: 1
            resources: {gpus: 0}
            profiles:
              cpu:
                overrides: {trainer.lr: 0.2, trainer.epochs: 2, device: cpu}
                grid:
                  data.image_size: [32]
              gpu:
                overrides: {trainer.lr: 0.3, device: cuda}
                seeds: 3
                resources: {gpus: 1, gpu_memory_gb: 24, labels: {pool: a100}}
                max_attempts: 5
                priority: 2
            """;

        var cpu = Trials(Yaml, profile: null);
        var gpu = Trials(Yaml, "gpu");
        var none = Expand(Yaml, "tpu");

        var cpuTrial = Assert.Single(cpu);
        Assert.Equal("a image_size=32", cpuTrial.ConfigName);
        Assert.Equal(0.2, Number(cpuTrial.Config, "trainer.lr"));
        Assert.Equal(5, Number(cpuTrial.Config, "trainer.epochs"));
        Assert.Equal(256, Number(cpuTrial.Config, "model.encoder.latent_channels"));
        Assert.Equal(0, cpuTrial.Resources.Gpus);

        Assert.Equal(6, gpu.Count);
        Assert.All(gpu, t =>
        {
            Assert.Equal(0.3, Number(t.Config, "trainer.lr"));
            Assert.Equal(512, Number(t.Config, "model.decoder_b.latent_channels"));
            Assert.Equal("cuda", Text(t.Config, "device"));
            Assert.Equal(1, t.Resources.Gpus);
            Assert.Equal(24, t.Resources.GpuMemoryGb);
            Assert.Equal("a100", t.Resources.Labels["pool"]);
            Assert.Equal(5, t.MaxAttempts);
            Assert.Equal(2, t.Priority);
        });

        Assert.False(none.Success);
        var error = Assert.Single(none.Errors);
        Assert.Equal("profile", error.Path);
        Assert.Contains("no profile named `tpu`", error.Message, StringComparison.Ordinal);
        Assert.Contains("(available: cpu, gpu)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Order_of_application_is_defaults_base_profile_row_grid_random_seed()
    {
        var spec = """
            name: t
            base: {trainer.lr: 0.1, seed: 5}
            profiles:
              p: {overrides: {trainer.lr: 0.2}}
            matrix:
              - name: r
                overrides: {trainer.lr: 0.3}
            GRID
            RANDOM
            SEEDS
            """;
        string Build(string grid, string random, string seeds) =>
            spec.Replace("GRID", grid, StringComparison.Ordinal).Replace("RANDOM", random, StringComparison.Ordinal).Replace("SEEDS", seeds, StringComparison.Ordinal);

        double Lr(string yaml, string? profile) => Number(Assert.Single(Trials(yaml, profile)).Config, "trainer.lr");

        Assert.Equal(0.3, Lr(Build("", "", ""), "p"));
        Assert.Equal(0.4, Lr(Build("grid: {trainer.lr: [0.4]}", "", ""), "p"));
        var withRandom = Build("grid: {trainer.lr: [0.4]}", "random: {count: 1, seed: 0, parameters: {trainer.lr: {distribution: uniform, low: 0.5, high: 0.6}}}", "seeds: [8]");
        Assert.InRange(Lr(withRandom, "p"), 0.5, 0.6);
        Assert.Equal(8L, Assert.Single(Trials(withRandom, "p")).Seed);
        Assert.Equal(0.1, Number(Assert.Single(Trials("name: t\nbase: {trainer.lr: 0.1}\nprofiles: {p: {overrides: {trainer.epochs: 1}}}\n", "p")).Config, "trainer.lr"));
    }

    [Fact]
    public void Schedule_references_resolve_by_name_and_profiles_may_redefine_them()
    {
        const string Yaml = """
            name: t
            schedules:
              progressive:
                - {from_epoch: 1, loss_weights: {content: 1.0, recon: 1.0, cross: 0.1}}
                - {from_epoch: 6, loss_weights: {content: 0.5, recon: 0.1, cross: 1.0}}
              constant: []
            base: {trainer.epochs: 10}
            matrix:
              - name: progressive
                schedule: progressive
              - name: constant
                overrides: {trainer.schedule: constant}
            profiles:
              cpu:
                overrides: {trainer.epochs: 4}
                schedules:
                  progressive:
                    - {from_epoch: 1, loss_weights: {recon: 1.0, cross: 0.1}}
                    - {from_epoch: 3, loss_weights: {recon: 0.1, cross: 1.0}}
            """;

        var full = Trials(Yaml);
        var cpu = Trials(Yaml, "cpu");

        var stages = full[0].Config["trainer"]!["schedule"]!.AsArray();
        Assert.Equal(2, stages.Count);
        Assert.Equal(6, stages[1]!["from_epoch"]!.GetValue<long>());
        Assert.Equal(0.1, stages[1]!["loss_weights"]!["recon"]!.GetValue<double>());
        Assert.Empty(full[1].Config["trainer"]!["schedule"]!.AsArray());
        Assert.Equal("progressive", full[0].Parameters["trainer.schedule"]!.GetValue<string>());
        Assert.Equal("constant", full[1].Parameters["trainer.schedule"]!.GetValue<string>());
        Assert.Equal(3, cpu[0].Config["trainer"]!["schedule"]![1]!["from_epoch"]!.GetValue<long>());
    }

    [Fact]
    public void Grid_over_schedule_names_resolves_each()
    {
        var trials = Trials("""
            name: t
            schedules:
              warm: [{from_epoch: 1, loss_weights: {cross: 0.1}}, {from_epoch: 3, loss_weights: {cross: 1.0}}]
              flat: []
            grid:
              trainer.schedule: [warm, flat]
            """);

        Assert.Equal(["schedule=warm", "schedule=flat"], trials.Select(t => t.ConfigName));
        Assert.Equal(2, trials[0].Config["trainer"]!["schedule"]!.AsArray().Count);
    }

    [Fact]
    public void Semantic_errors_of_resolved_configs_point_at_the_override_that_caused_them()
    {
        var expansion = Expand("""
            name: t
            matrix:
              - name: fine
              - name: odd_size
                overrides:
                  data.image_size: 30
            seeds: 3
            """);

        Assert.False(expansion.Success);
        var error = Assert.Single(expansion.Errors);
        Assert.Equal((6, 24), (error.Line, error.Column));
        Assert.Equal("data.image_size", error.Path);
        Assert.Contains("not divisible by 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("odd_size", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_schedule_beyond_its_epochs_is_reported_through_the_schema()
    {
        var expansion = Expand("""
            name: t
            schedules:
              s: [{from_epoch: 1, loss_weights: {cross: 0.1}}, {from_epoch: 6, loss_weights: {cross: 1.0}}]
            matrix:
              - {name: a, schedule: s}
            profiles:
              cpu: {overrides: {trainer.epochs: 4}}
            """, "cpu");

        var error = Assert.Single(expansion.Errors);
        Assert.Equal("trainer.schedule", error.Path);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Known_config_has_a_fixed_id_computed_independently()
    {
        // /usr/bin/python3 -c 'import hashlib; print(hashlib.sha256(
        //   b"{\"seed\":7,\"trainer\":{\"loss_weights\":{\"cross\":1,\"recon\":0.5},\"lr\":0.0005}}").hexdigest()[:16])'
        var trial = Assert.Single(Trials("""
            name: t
            base: {trainer.lr: 0.0005}
            seeds: [7]
            """, schema: new TinyTrialConfigSchema()));

        Assert.Equal("ca8187e10c044997", trial.Id);
        Assert.Equal("032b8b521cf01981", trial.ConfigKey);
    }

    [Fact]
    public void Id_does_not_depend_on_key_order_nesting_or_number_spelling()
    {
        var first = Assert.Single(Trials("""
            name: t
            base:
              trainer.lr: 0.0005
              trainer.loss_weights: {recon: 0.5, cross: 1}
            seeds: [7]
            """, schema: new TinyTrialConfigSchema()));
        var second = Assert.Single(Trials("""
            seeds: [7]
            base:
              trainer:
                loss_weights:
                  cross: 1.0
                lr: 5.0e-4
            name: other-name
            """, schema: new TinyTrialConfigSchema()));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("ca8187e10c044997", second.Id);
    }

    [Fact]
    public void Name_is_not_part_of_the_id()
    {
        var a = Trials("name: t\nmatrix: [{name: a, overrides: {trainer.epochs: 3}}]\n");
        var b = Trials("name: t\nmatrix: [{name: b, overrides: {trainer.epochs: 3}}]\n");

        Assert.Equal(a[0].Id, b[0].Id);
        Assert.NotEqual(Text(a[0].Config, "name"), Text(b[0].Config, "name"));
    }

    [Fact]
    public void Named_grid_axis_sets_several_keys_together()
    {
        var trials = Trials("""
            name: t
            grid:
              latent:
                options:
                  - label: "256"
                    overrides: {model: {encoder.latent_channels: 256, decoder_a.latent_channels: 256, decoder_b.latent_channels: 256}}
                  - label: "512"
                    overrides: {model: {encoder.latent_channels: 512, decoder_a.latent_channels: 512, decoder_b.latent_channels: 512}}
            """);

        Assert.Equal(["latent=256", "latent=512"], trials.Select(t => t.ConfigName));
        Assert.Equal(512, Number(trials[1].Config, "model.decoder_a.latent_channels"));
        Assert.Equal(["model.encoder.latent_channels", "model.decoder_a.latent_channels", "model.decoder_b.latent_channels"], trials[0].Parameters.Keys);
    }
}
