using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Runtime;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// TorchSharp passes libtorch only a Scalar's native handle, so a Scalar that nothing holds can be finalized by a
/// collection on another thread while libtorch reads it (seen in CI: "Expected false to be true" from c10's
/// Scalar::toFloat under <c>Tensor + Tensor</c> in <see cref="C2CLosses.Compute"/>).
/// <para>
/// <see cref="No_call_in_the_denoiser_hands_TorchSharp_a_Scalar_that_nothing_holds"/> is the deterministic guard: it
/// reads the compiled code and fails on every such call (before the fix it named 51: 48 arithmetic calls, the two
/// optimizers and LeakyReLU). <see cref="Training_and_losses_under_constant_collections_match_a_quiet_run"/> runs the
/// race itself. The window is a few microseconds inside a native call, so it cannot fail every time: against the
/// unfixed code it failed in 10 of 12 runs on a 2-core machine (the CI message, "Unknown scalar type", an internal
/// assert in Scalar::equal), always in the loss loop. It also checks that holding the Scalars changes no value.
/// </para>
/// <para>
/// Runs alone: its collections would slow every other test, and their use of the global generator and of libtorch's
/// thread count would make the two runs it compares differ.
/// </para>
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(ScalarLifetimeTests))]
public sealed class ScalarLifetimeTests
{
    [Fact]
    public void No_call_in_the_denoiser_hands_TorchSharp_a_Scalar_that_nothing_holds()
    {
        var findings = ScalarTemporaries.Find(typeof(C2CLosses).Assembly);
        Assert.True(findings.Count == 0, "Calls that give TorchSharp a Scalar nothing holds:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void Training_and_losses_under_constant_collections_match_a_quiet_run()
    {
        var quiet = Run();
        using var stop = new CancellationTokenSource();
        var collections = 0;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                collections++;
            }
        })
        { IsBackground = true };
        collector.Start();
        List<double> pressed;
        try
        {
            pressed = Run();
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }

        Assert.True(collections > 10, $"only {collections} collections ran");
        Assert.Equal(quiet.Count, pressed.Count);
        for (var i = 0; i < quiet.Count; i++)
        {
            Assert.True(quiet[i].Equals(pressed[i]), $"value {i}: {pressed[i]:R} under collections, {quiet[i]:R} without");
        }
    }

    /// <summary>
    /// The hot paths, each many times: the loss terms and the discriminator loss on small complex images (many short
    /// native calls, so the unheld Scalars of the old code were often in flight), then training steps of a complex
    /// network with a discriminator (Adam) and of a real one with per-slice scales and input noise (AdamW).
    /// </summary>
    private static List<double> Run()
    {
        var values = new List<double>();
        TorchRuntime.Configure(1);
        var config = TinyConfig.Create(
            ("model.complex", true), ("data.phase", 0.8), ("model.discriminator.enabled", true),
            ("trainer.loss_weights.adversarial", 0.1), ("trainer.loss_weights.edge", 0.1));
        using (NewDisposeScope())
        {
            manual_seed(11);
            // Drawn, not computed: arithmetic here would hand TorchSharp unheld Scalars of the test's own.
            var (noisyA, noisyB) = (randn(2, 2, 6, 6), randn(2, 2, 6, 6));
            var encodedA = new EncoderOutput(randn(2, 4, 3, 3), [], noisyA, null);
            var encodedB = new EncoderOutput(randn(2, 4, 3, 3), [], noisyB, null);
            var outputs = new C2COutputs(encodedA, encodedB, randn(2, 2, 6, 6), randn(2, 2, 6, 6), randn(2, 2, 6, 6), randn(2, 2, 6, 6)) { Complex = true };
            static Tensor Logits(Tensor image) => image.mean([1], keepdim: true);
            for (var i = 0; i < 1200; i++)
            {
                using var step = NewDisposeScope();
                var terms = C2CLosses.Compute(outputs, noisyA, noisyB, config.Trainer.LossWeights, config.Trainer, Logits);
                values.Add(terms.Total.item<float>());
                values.Add(C2CLosses.DiscriminatorLoss(Logits, outputs).item<float>());
            }
        }

        Train(config, values);
        Train(TinyConfig.Create(("trainer.optimizer", "adamw"), ("trainer.weight_decay", 0.01), ("trainer.cross_loss_scale", "median"), ("trainer.input_noise_sigma", 0.05)), values);
        return values;
    }

    private static void Train(TrialConfig config, List<double> values)
    {
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        var batch = new BatchLoader(train, config.Data.BatchSize, config.Data.Seed, shuffle: false).GetBatch(1, 0);
        for (var i = 0; i < 8; i++)
        {
            var metrics = trainer.TrainStep(batch, 1.0, i);
            values.AddRange(metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => m.Value));
        }
    }
}

/// <summary>Runs <see cref="ScalarLifetimeTests"/> with nothing else in parallel.</summary>
[CollectionDefinition(nameof(ScalarLifetimeTests), DisableParallelization = true)]
public sealed class ScalarLifetimeTestsCollection
{
}
