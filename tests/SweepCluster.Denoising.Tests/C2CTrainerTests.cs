using System.Text.Json.Nodes;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Integration")]
public sealed class C2CTrainerTests
{
    public static TheoryData<string, string, string> Switches()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var architecture in new[] { "shared", "separate", "noise_aware" })
        {
            foreach (var strategy in new[] { "input", "target", "none", "zeros", "mixed" })
            {
                foreach (var mode in new[] { "concat", "additive" })
                {
                    data.Add(architecture, strategy, mode);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Switches))]
    public void Every_architecture_strategy_and_skip_mode_trains_one_step(string architecture, string strategy, string mode)
    {
        var config = TinyConfig.Create(("model.architecture", architecture), ("trainer.cross_skips", strategy), ("model.skip_mode", mode), ("trainer.loss_weights.edge", 0.1));
        var metrics = OneStep(config);
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{m.Key} is {m.Value}"));
        Assert.True(metrics["grad_norm.encoder"] > 0);
        Assert.True(metrics["grad_norm.decoder_a"] > 0);
        Assert.True(metrics["grad_norm.decoder_b"] > 0);
    }

    public static TheoryData<string> Extras() => new(ExtraCases.Keys);

    [Theory]
    [MemberData(nameof(Extras))]
    public void Other_switches_train_one_step(string name)
    {
        var metrics = OneStep(TinyConfig.Create(ExtraCases[name]));
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"{name}: {m.Key} is {m.Value}"));
        if (name.Contains("discriminator", StringComparison.Ordinal))
        {
            Assert.True(metrics["grad_norm.discriminator"] > 0);
            Assert.True(metrics["loss.adversarial"] > 0);
            Assert.True(metrics["loss.discriminator"] > 0);
        }
    }

    [Fact]
    public void Resuming_from_a_mid_epoch_checkpoint_repeats_every_later_loss() => AssertResumeRepeatsTheStraightRun();

    [Fact]
    public void Resuming_a_complex_network_from_a_mid_epoch_checkpoint_repeats_every_later_loss() =>
        AssertResumeRepeatsTheStraightRun(("model.complex", true), ("data.phase", 0.8), ("model.identity", true), ("trainer.loss_weights.edge", 0.1));

    [Fact]
    public void Complex_network_trains_on_phase_phantoms_without_nan_and_its_loss_falls()
    {
        var config = TinyConfig.Create(
            ("model.complex", true), ("data.phase", 1.0), ("trainer.epochs", 4), ("trainer.steps_per_epoch", 4),
            ("trainer.lr", 0.003), ("trainer.lr_schedule", "constant"), ("trainer.loss_weights.edge", 0.1));
        var (train, validation) = PairedDatasets.Create(config.Data);
        Assert.Equal(2, train.Channels);
        using var trainer = new C2CTrainer(config, train, CPU);
        var totals = new List<double>();
        while (!trainer.IsFinished)
        {
            var metrics = trainer.RunNextStep().Metrics;
            Assert.All(metrics, m => Assert.True(double.IsFinite(m.Value), $"step {trainer.GlobalStep}: {m.Key} is {m.Value}"));
            Assert.True(metrics["grad_norm.encoder"] > 0 && metrics["grad_norm.decoder_a"] > 0 && metrics["grad_norm.decoder_b"] > 0);
            totals.Add(metrics["loss.total"]);
        }

        // Every step sees another batch: compare the means of the first and the last four steps.
        var first = totals.Take(4).Average();
        var last = totals.TakeLast(4).Average();
        Assert.True(last < 0.8 * first, $"total loss {first:0.0000} over the first four steps, {last:0.0000} over the last four");

        var result = trainer.Evaluate(validation);
        Assert.Equal(2, result.Channels);
        Assert.Equal(2 * 16 * 16, result.Images[0]["x_a_from_b"].Length);
        Assert.All(result.Outputs, o => Assert.True(double.IsFinite(o.Value.Psnr) && double.IsFinite(o.Value.LeakageNoiseA), o.Key));
    }

    private static void AssertResumeRepeatsTheStraightRun(params (string Path, JsonNode? Value)[] overrides)
    {
        TrialConfig Config(params (string, JsonNode?)[] more) => TinyConfig.Create([
            ("trainer.steps_per_epoch", 3), ("trainer.epochs", 2), ("model.discriminator.enabled", true),
            ("trainer.loss_weights.adversarial", 0.1), ("trainer.warmup_steps", 2), .. overrides, .. more]);
        var config = Config();
        const int total = 6;
        const int k = 4;
        using var temp = new TempDirectory();
        var (train, _) = PairedDatasets.Create(config.Data);

        List<IReadOnlyDictionary<string, double>> straight;
        IReadOnlyList<IReadOnlyDictionary<string, double>> straightHistory;
        using (var trainer = new C2CTrainer(config, train, CPU))
        {
            straight = [.. Enumerable.Range(0, total).Select(_ => trainer.RunNextStep().Metrics)];
            straightHistory = [.. trainer.EpochHistory];
            Assert.True(trainer.IsFinished);
        }

        using (var first = new C2CTrainer(config, train, CPU))
        {
            for (var i = 0; i < k; i++)
            {
                first.RunNextStep();
            }

            first.SaveCheckpoint(temp.File("ck.pt"), 1.5);
        }

        // A different global RNG state must not matter: the checkpoint restores it.
        manual_seed(999);
        using var resumed = new C2CTrainer(Config(("seed", 5)), train, CPU);
        resumed.LoadCheckpoint(temp.File("ck.pt"));
        Assert.Equal(k, resumed.GlobalStep);
        Assert.Equal(1.5, resumed.PriorSeconds);
        for (var i = k; i < total; i++)
        {
            var metrics = resumed.RunNextStep().Metrics;
            Assert.Equal(straight[i].Keys.Order(), metrics.Keys.Order());
            foreach (var (name, value) in straight[i])
            {
                Assert.True(Math.Abs(metrics[name] - value) <= 1e-6, $"step {i + 1} {name}: resumed {metrics[name]}, straight {value}");
            }
        }

        Assert.Equal(straightHistory.Count, resumed.EpochHistory.Count);
        for (var e = 0; e < straightHistory.Count; e++)
        {
            foreach (var (name, value) in straightHistory[e])
            {
                Assert.True(Math.Abs(resumed.EpochHistory[e][name] - value) <= 1e-6, $"epoch {e + 1} mean of {name}");
            }
        }
    }

    [Fact]
    public void A_checkpoint_of_another_architecture_is_refused()
    {
        using var temp = new TempDirectory();
        var config = TinyConfig.Create();
        var (train, _) = PairedDatasets.Create(config.Data);
        using (var trainer = new C2CTrainer(config, train, CPU))
        {
            trainer.SaveCheckpoint(temp.File("ck.pt"), 0);
        }

        using var other = new C2CTrainer(TinyConfig.Create(("model.architecture", "separate")), train, CPU);
        Assert.Throws<InvalidDataException>(() => other.LoadCheckpoint(temp.File("ck.pt")));
    }

    /// <summary>Complex data are measured on their magnitudes, the leakage on the complex error against the complex noise.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Evaluation_finds_full_leakage_for_the_noisy_input_and_none_across_contrasts(bool complex)
    {
        (string, JsonNode?)[] complexData = complex ? [("model.complex", true), ("data.phase", 1.0)] : [];
        var config = TinyConfig.Create([("data.image_size", 32), ("data.val_samples", 8), .. complexData]);
        var (train, validation) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        var result = trainer.Evaluate(validation);

        // The noisy input is the identity mapping of itself: its error is exactly its own noise.
        Assert.InRange(result.Outputs["noisy_a"].LeakageNoiseA, 0.999, 1.000001);
        Assert.InRange(result.Outputs["noisy_b"].LeakageNoiseB, 0.999, 1.000001);
        Assert.InRange(Math.Abs(result.Outputs["noisy_a"].LeakageNoiseB), 0, 0.1);
        Assert.Equal(8, result.Images.Count);
        Assert.Equal(6, result.Outputs.Count);
        Assert.True(result.Outputs["noisy_a"].Psnr is > 15 and < 30);
    }

    [Fact]
    public void Leakage_of_the_clean_image_is_zero_and_of_the_identity_mapping_one_through_the_evaluation_path()
    {
        var config = TinyConfig.Create(("data.image_size", 32), ("data.val_samples", 6));
        var validation = new PhantomDataset(config.Data, DataSplit.Validation);
        var images = new List<IReadOnlyDictionary<string, float[]>>();
        for (var i = 0; i < validation.Count; i++)
        {
            var s = validation.Get(i, 1);
            images.Add(new Dictionary<string, float[]>(StringComparer.Ordinal)
            {
                ["x_a_recon"] = s.NoisyA, // identity mapping
                ["x_b_recon"] = s.NoisyB,
                ["x_a_from_b"] = s.CleanA!, // perfect denoiser
                ["x_b_from_a"] = s.NoisyA, // carries the other contrast's noise (and contrast)
                ["noisy_a"] = s.NoisyA,
                ["noisy_b"] = s.NoisyB,
                ["clean_a"] = s.CleanA!,
                ["clean_b"] = s.CleanB!,
                ["noise_a"] = s.NoiseA!,
                ["noise_b"] = s.NoiseB!,
            });
        }

        var metrics = C2CTrainer.Measure(images, 1, 32, 32);
        Assert.InRange(metrics["x_a_recon"].LeakageNoiseA, 0.999, 1.000001);
        Assert.InRange(metrics["x_b_recon"].LeakageNoiseB, 0.999, 1.000001);
        Assert.Equal(0, metrics["x_a_from_b"].LeakageNoiseA, 9);
        Assert.Equal(0, metrics["x_a_from_b"].LeakageNoiseB, 9);
        Assert.True(double.IsPositiveInfinity(metrics["x_a_from_b"].Psnr));
        Assert.True(metrics["x_b_from_a"].LeakageNoiseA > 0.3, $"leakage of noise a into x_b_from_a is {metrics["x_b_from_a"].LeakageNoiseA}");

        var summary = SummaryBuilder.Build([], new EvaluationResult(metrics, images, 1, 32, 32, 0.5), 3, TrainerMode.C2c, 1, 1, 0);
        Assert.Equal(1.0, summary.Scalars["leakage_recon"], 2);
    }

    private static readonly Dictionary<string, (string, JsonNode?)[]> ExtraCases = new(StringComparer.Ordinal)
    {
        ["discriminator_shared"] = [("model.discriminator.enabled", true), ("trainer.loss_weights.adversarial", 0.1)],
        ["discriminator_noise_aware"] = [("model.architecture", "noise_aware"), ("model.discriminator.enabled", true), ("trainer.loss_weights.adversarial", 0.5)],
        ["identity_additive_mixed"] = [("model.identity", true), ("model.skip_mode", "additive"), ("trainer.cross_skips", "mixed")],
        ["supervised"] = [("trainer.mode", "supervised")],
        ["supervised_cross"] = [("trainer.mode", "supervised_cross")],
        ["mse_adamw_constant"] = [("trainer.loss", "mse"), ("trainer.optimizer", "adamw"), ("trainer.weight_decay", 0.01), ("trainer.lr_schedule", "constant"), ("trainer.grad_clip", 0.0)],
        ["no_same_domain_skip_separate"] = [("model.architecture", "separate"), ("trainer.same_domain_use_skip", false)],
        ["rician_misregistered"] = [("data.noise.kind", "rician"), ("data.misregistration", 1.5), ("data.contrast_specific", true), ("data.bias_field", 0.2)],
        ["complex_shared_edge"] = [("model.complex", true), ("data.phase", 0.8), ("trainer.loss_weights.edge", 0.1)],
        ["complex_separate_additive_target_skip"] = [("model.complex", true), ("data.phase", 0.8), ("model.architecture", "separate"), ("model.skip_mode", "additive"), ("trainer.cross_skips", "input")],
        ["complex_identity_mixed_zero_mse"] = [("model.complex", true), ("data.representation", "real_imag"), ("model.identity", true), ("trainer.cross_skips", "mixed"), ("trainer.loss", "mse")],
        ["complex_zero_skip_no_same_domain_skip"] = [("model.complex", true), ("data.phase", 0.8), ("trainer.cross_skips", "zeros"), ("trainer.same_domain_use_skip", false)],
        ["complex_discriminator"] = [("model.complex", true), ("data.phase", 0.8), ("model.discriminator.enabled", true), ("trainer.loss_weights.adversarial", 0.1)],
        ["complex_supervised_cross"] = [("model.complex", true), ("data.phase", 0.8), ("trainer.mode", "supervised_cross")],
        ["real_network_on_phase_phantoms"] = [("data.phase", 0.8)],
        ["staged_schedule"] = [("trainer.schedule", JsonNode.Parse("""[{"from_epoch": 1, "loss_weights": {"recon": 1.0, "cross": 0.1}}]""")), ("trainer.schedule_ramp_epochs", 1.0)],
    };

    private static IReadOnlyDictionary<string, double> OneStep(TrialConfig config)
    {
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        return trainer.RunNextStep().Metrics;
    }
}
