using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Training;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class C2CLossesTests
{
    /// <summary>
    /// Outputs that are exactly the clean images: against clean targets (supervised cross) the cross and recon terms are
    /// 0 and the total is their sum; against noisy targets (C2C) the cross term is the noise floor, mean |n_a| + mean |n_b|.
    /// </summary>
    [Fact]
    public void Supervised_cross_scores_the_cross_outputs_against_the_other_contrasts_clean_image()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var (cleanA, cleanB) = (rand(2, 1, 8, 8), rand(2, 1, 8, 8));
        var (noiseA, noiseB) = (randn(2, 1, 8, 8) * 0.1, randn(2, 1, 8, 8) * 0.1);
        var (noisyA, noisyB) = (cleanA + noiseA, cleanB + noiseB);
        var z = zeros(2, 4, 2, 2);
        var encoded = new EncoderOutput(z, [], noisyA, null);
        var perfect = new C2COutputs(encoded, encoded, cleanA, cleanB, cleanA, cleanB);
        var config = TrialConfig.Default;

        var supervised = C2CLosses.Compute(perfect, noisyA, noisyB, config.Trainer.LossWeights,
            config.Trainer with { Mode = TrainerMode.SupervisedCross }, null, cleanA, cleanB);
        Assert.Equal(0, supervised.Cross.item<float>(), 6);
        Assert.Equal(0, supervised.Recon.item<float>(), 6);
        Assert.Equal(0, supervised.Total.item<float>(), 6);

        var c2c = C2CLosses.Compute(perfect, noisyA, noisyB, config.Trainer.LossWeights, config.Trainer with { Mode = TrainerMode.C2c }, null);
        var floor = noiseA.abs().mean().item<float>() + noiseB.abs().mean().item<float>();
        Assert.Equal(floor, c2c.Cross.item<float>(), 5);

        // A cross output that is wrong by 0.2 everywhere costs 0.2 per contrast in supervised cross, and counts in the total.
        var offset = new C2COutputs(encoded, encoded, cleanA, cleanB, cleanA + 0.2, cleanB + 0.2);
        var shifted = C2CLosses.Compute(offset, noisyA, noisyB, config.Trainer.LossWeights,
            config.Trainer with { Mode = TrainerMode.SupervisedCross }, null, cleanA, cleanB);
        Assert.Equal(0.4, shifted.Cross.item<float>(), 5);
        Assert.Equal(0.4, shifted.Total.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => C2CLosses.Compute(perfect, noisyA, noisyB, config.Trainer.LossWeights,
            config.Trainer with { Mode = TrainerMode.SupervisedCross }, null));
    }
}
