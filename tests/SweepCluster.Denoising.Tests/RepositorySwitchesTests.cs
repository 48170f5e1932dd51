using System.Text.Json.Nodes;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The switches that reproduce the public implementation's semantics, each checked against values worked out by hand
/// or against a property that holds whatever our reading of the names: whose skips a cross decoder gets, the median
/// scale, the input noise, the per-epoch cosine, fresh-optimizer phases, zeroed decoders and anti-collapse.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RepositorySwitchesTests
{
    /// <summary>
    /// With every decoder's latent input (its 1x1 <c>expand</c>) zeroed, a decoder's output is a function of the skips it
    /// is given alone. Then <c>target</c> must make <c>x_a_from_b</c> equal <c>x_a_recon</c> (image a's features, as
    /// decoder a's own reconstruction has them), and <c>input</c> must make it equal decoder a applied to image b's
    /// features and differ from <c>x_a_recon</c>. No name is read here: only which image the output follows.
    /// </summary>
    [Theory]
    [InlineData("target")]
    [InlineData("input")]
    public void Cross_skips_carry_the_features_of_the_image_their_name_says(string crossSkips)
    {
        var config = TinyConfig.Create(("trainer.cross_skips", crossSkips));
        using var scope = NewDisposeScope();
        var batch = new BatchLoader(new PhantomDataset(config.Data, DataSplit.Train), 2, config.Data.Seed, shuffle: false).GetBatch(1, 0);
        manual_seed(11);
        using var model = new C2CModel(config.Model, config.Trainer, 1);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(p => p.name.Contains(".expand.", StringComparison.Ordinal)))
            {
                parameter.zero_();
            }
        }

        model.eval();
        var (xA, xB) = (tensor(batch.NoisyA, batch.Shape), tensor(batch.NoisyB, batch.Shape));
        var outputs = model.forward(xA, xB);
        var decoderAOnB = model.DecodeSameA(model.Encoder.forward(xB));
        Assert.True((outputs.XARecon - decoderAOnB).abs().max().item<float>() > 1e-3, "the two images' features must give different outputs, or the test proves nothing");
        var expected = crossSkips == "target" ? outputs.XARecon : decoderAOnB;
        TensorAssert.Close(expected, outputs.XAFromB, 0, 0, $"x_a_from_b with cross_skips {crossSkips}");
        var expectedB = crossSkips == "target" ? outputs.XBRecon : model.DecodeSameB(model.Encoder.forward(xA));
        TensorAssert.Close(expectedB, outputs.XBFromA, 0, 0, $"x_b_from_a with cross_skips {crossSkips}");
    }

    [Fact]
    public void The_median_scale_is_the_lower_median_of_the_modulus_with_the_repository_fallbacks()
    {
        using var scope = NewDisposeScope();
        var batch = tensor(new float[] { 4, 1, 3, 2, 0, 0, 0, 0, 0, 0, 0, 5 }, [3, 1, 2, 2]);
        var scale = SliceScale.Median(batch).flatten().data<float>().ToArray();
        Assert.Equal([2f, 1f, 1.25f], scale); // lower median of 1,2,3,4; all zeros -> 1; median 0 -> mean 5/4

        var complex = tensor(new float[] { 3, -6, 0, 0, 4, 8, 1, 0 }, [1, 2, 2, 2]); // moduli 5, 10, 1, 0
        Assert.Equal(1f, SliceScale.Median(complex).item<float>());
    }

    [Fact]
    public void The_median_scale_multiplies_the_cross_term_only()
    {
        using var scope = NewDisposeScope();
        var config = TinyConfig.Create(("trainer.cross_loss_scale", "median"), ("trainer.loss_weights.edge", 0.0));
        var z = zeros(1, 1, 1, 1);
        var encoded = new EncoderOutput(z, [], z, null);
        var target = tensor(new float[] { 1, 1, 1, 1 }, [1, 1, 2, 2]);
        var output = tensor(new float[] { 2, 2, 2, 2 }, [1, 1, 2, 2]);
        var outputs = new C2COutputs(encoded, encoded, output, output, output, output);
        var scale = tensor(new float[] { 0.5f }, [1, 1, 1, 1]);

        var terms = C2CLosses.Compute(outputs, target, target, config.Trainer.LossWeights, config.Trainer, null, null, null, scale, scale);

        Assert.Equal(2.0, C2CTrainer.Item(terms.Recon), 6); // |2 - 1| per contrast, normalised units
        Assert.Equal(1.0, C2CTrainer.Item(terms.Cross), 6); // 0.5 * |2 - 1| per contrast, at the slice's scale
    }

    /// <summary>
    /// With a zeroed decoder and the identity, every output is the encoder's input, so the recon L1 at the first step is
    /// the mean absolute input noise of both contrasts: <c>2 * sigma * sqrt(2 / pi)</c> for Gaussian noise.
    /// </summary>
    [Fact]
    public void Input_noise_reaches_the_encoder_and_not_the_targets()
    {
        const double sigma = 0.1;
        var config = TinyConfig.Create(
            ("model.identity", true), ("model.identity_init", "zero_decoder"), ("trainer.input_noise_sigma", sigma),
            ("data.image_size", 32), ("data.batch_size", 8), ("data.train_samples", 8));
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);

        var first = trainer.RunNextStep().Metrics;

        Assert.Equal(2 * sigma * Math.Sqrt(2 / Math.PI), first["loss.recon"], 0.01);
        var clean = TinyConfig.Create(("model.identity", true), ("model.identity_init", "zero_decoder"), ("data.image_size", 32), ("data.batch_size", 8), ("data.train_samples", 8));
        using var noiseless = new C2CTrainer(clean, PairedDatasets.Create(clean.Data).Train, CPU);
        Assert.Equal(0, noiseless.RunNextStep().Metrics["loss.recon"], 6);
    }

    [Fact]
    public void Zero_decoder_initialisation_zeroes_every_decoder_parameter_and_only_them()
    {
        var config = TinyConfig.Create(("model.identity", true), ("model.identity_init", "zero_decoder"));
        manual_seed(1);
        using var model = new C2CModel(config.Model, config.Trainer, 1);
        var parameters = model.named_parameters().ToList();
        Assert.All(parameters.Where(p => p.name.StartsWith("decoder", StringComparison.Ordinal)), p => Assert.Equal(0, p.parameter.abs().max().item<float>()));
        Assert.All(parameters.Where(p => p.name.StartsWith("encoder", StringComparison.Ordinal) && p.name.EndsWith("weight", StringComparison.Ordinal) && p.parameter.dim() == 4),
            p => Assert.True(p.parameter.abs().max().item<float>() > 0, p.name));
    }

    [Fact]
    public void The_per_epoch_cosine_is_pytorch_cosine_annealing_stepped_per_epoch()
    {
        // CosineAnnealingLR(T_max=50, eta_min=1e-6) from 3e-4: epoch e runs at 1e-6 + (3e-4 - 1e-6) * (1 + cos(pi e / 50)) / 2.
        Assert.Equal(3e-4, LearningRateSchedule.CosineEpochLearningRate(3e-4, 1e-6, 0, 50), 12);
        Assert.Equal(2.71448e-4, LearningRateSchedule.CosineEpochLearningRate(3e-4, 1e-6, 10, 50), 9);
        Assert.Equal(1e-6, LearningRateSchedule.CosineEpochLearningRate(3e-4, 1e-6, 50, 50), 12);

        var config = TinyConfig.Create(("trainer.epochs", 4), ("trainer.steps_per_epoch", 3), ("trainer.lr", 3e-4), ("trainer.lr_min", 1e-6),
            ("trainer.lr_schedule", "cosine_epoch"), ("trainer.lr_t_max_epochs", 50));
        var schedule = new LearningRateSchedule(config.Trainer, 3);
        Assert.Equal(schedule.At(3), schedule.At(5)); // constant within an epoch
        Assert.Equal(LearningRateSchedule.CosineEpochLearningRate(3e-4, 1e-6, 1, 50), schedule.At(4), 15);
    }

    [Fact]
    public void A_fresh_phase_restarts_the_schedule_from_its_rate_and_clears_the_optimizer()
    {
        var config = TinyConfig.Create(
            ("trainer.epochs", 4), ("trainer.steps_per_epoch", 2), ("trainer.lr", 3e-4), ("trainer.lr_schedule", "cosine_epoch"), ("trainer.lr_t_max_epochs", 50),
            ("trainer.schedule", JsonNode.Parse("""[{"from_epoch": 3, "loss_weights": {"edge": 0.05}, "lr": 0.0001, "fresh_optimizer": true}]""")));
        var schedule = new LearningRateSchedule(config.Trainer, 2);

        Assert.Equal(LearningRateSchedule.CosineEpochLearningRate(3e-4, 0, 1, 50), schedule.At(2), 15);
        Assert.Equal(1e-4, schedule.At(4), 15); // epoch 3 is epoch 0 of the new phase
        Assert.Equal(LearningRateSchedule.CosineEpochLearningRate(1e-4, 0, 1, 50), schedule.At(6), 15);
        Assert.True(schedule.StartsPhase(4));
        Assert.False(schedule.StartsPhase(2));

        // Adam's first step moves each weight by lr * g / |g| = lr exactly; with earlier moments it would not.
        var (move, lr) = LargestMoveAtStep(config, 4);
        Assert.Equal(1e-4, lr, 15);
        Assert.Equal(1e-4, move, 7);
        var continued = TinyConfig.Create(
            ("trainer.epochs", 4), ("trainer.steps_per_epoch", 2), ("trainer.lr", 3e-4), ("trainer.lr_schedule", "cosine_epoch"), ("trainer.lr_t_max_epochs", 50),
            ("trainer.schedule", JsonNode.Parse("""[{"from_epoch": 3, "loss_weights": {"edge": 0.05}, "lr": 0.0001}]""")));
        var (continuedMove, continuedLr) = LargestMoveAtStep(continued, 4);
        Assert.NotEqual(continuedLr, continuedMove, 7);
    }

    private static (double Move, double Lr) LargestMoveAtStep(TrialConfig config, int step)
    {
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        for (var i = 0; i < step; i++)
        {
            trainer.RunNextStep();
        }

        using var scope = NewDisposeScope();
        var before = trainer.Model.parameters().Select(p => p.detach().clone()).ToList();
        var lr = trainer.RunNextStep().Metrics["lr"];
        return (trainer.Model.parameters().Zip(before, (p, b) => (double)(p - b).abs().max().item<float>()).Max(), lr);
    }

    [Fact]
    public void Anti_collapse_raises_content_and_lowers_recon_after_patience_collapsed_epochs()
    {
        // A zeroed decoder's cross outputs are constant (variance 0): every epoch is collapsed.
        var config = TinyConfig.Create(
            ("model.identity", true), ("model.identity_init", "zero_decoder"), ("trainer.cross_skips", "none"), ("trainer.epochs", 5), ("trainer.steps_per_epoch", 1),
            ("trainer.loss_weights.content", 1.0), ("trainer.loss_weights.recon", 0.0),
            ("trainer.anti_collapse", JsonNode.Parse("""{"enabled": true, "patience": 2, "factor": 0.2, "max_content": 1.3, "min_recon": 0.0005}""")));
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);

        var weights = Enumerable.Range(0, 5).Select(_ => trainer.RunNextStep().Metrics).Select(m => (m["loss_weight.content"], m["loss_weight.recon"])).ToList();

        Assert.Equal((1.0, 0.0), weights[0]);
        Assert.Equal((1.0, 0.0), weights[1]);
        Assert.Equal(1.2, weights[2].Item1, 12); // after epochs 1 and 2
        Assert.Equal(0.0005, weights[2].Item2, 12); // a recon weight of 0 is raised to the floor, as there
        Assert.Equal(1.2, weights[3].Item1, 12);
        Assert.Equal(1.3, weights[4].Item1, 12); // after epochs 3 and 4: 1.44, capped
        Assert.Equal(2, trainer.CollapseAdjustments);
    }
}
