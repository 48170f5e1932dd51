using System.Diagnostics;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>Resident memory is per process: this runs alone, so other tests' allocations do not count.</summary>
[Trait("Category", "Slow")]
[Collection(nameof(TrainerMemoryTests))]
public sealed class TrainerMemoryTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Two_thousand_training_steps_do_not_grow_resident_memory(bool complex)
    {
        var config = TinyConfig.Create(
            ("trainer.epochs", 1000), ("model.discriminator.enabled", true), ("trainer.loss_weights.adversarial", 0.1),
            ("model.complex", complex), ("data.phase", complex ? 0.8 : 0.0), ("trainer.loss_weights.edge", complex ? 0.1 : 0.0));
        var (train, _) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, CPU);
        var batch = new BatchLoader(train, config.Data.BatchSize, config.Data.Seed, shuffle: false).GetBatch(1, 0);
        for (var i = 0; i < 300; i++)
        {
            trainer.TrainStep(batch, 1.0, i);
        }

        var warm = ResidentBytes();
        for (var i = 300; i < 2300; i++)
        {
            trainer.TrainStep(batch, 1.0, i);
        }

        var after = ResidentBytes();
        var growth = (after - warm) / (double)warm;
        Assert.True(growth <= 0.02, $"resident memory grew {growth:P2} over 2,000 steps ({warm / 1048576.0:F1} MiB -> {after / 1048576.0:F1} MiB)");
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}

/// <summary>Runs <see cref="TrainerMemoryTests"/> with nothing else in parallel.</summary>
[CollectionDefinition(nameof(TrainerMemoryTests), DisableParallelization = true)]
public sealed class TrainerMemoryTestsCollection
{
}
