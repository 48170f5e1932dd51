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

        // Two windows of 1,000 steps: a leak grows the process in both, while a one-off allocation (the thread pool adding
        // threads when other test processes starve this one of CPU) shows in one window only. The test fails when both
        // windows grew by more than 1 % (2 % over the 2,000 steps at a steady rate).
        var warm = ResidentBytes();
        for (var i = 300; i < 1300; i++)
        {
            trainer.TrainStep(batch, 1.0, i);
        }

        var middle = ResidentBytes();
        for (var i = 1300; i < 2300; i++)
        {
            trainer.TrainStep(batch, 1.0, i);
        }

        var after = ResidentBytes();
        var first = (middle - warm) / (double)warm;
        var second = (after - middle) / (double)middle;
        Assert.True(
            Math.Min(first, second) <= 0.01,
            $"resident memory grew {first:P2} and then {second:P2} over two windows of 1,000 steps ({warm / 1048576.0:F1} -> {middle / 1048576.0:F1} -> {after / 1048576.0:F1} MiB)");
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
