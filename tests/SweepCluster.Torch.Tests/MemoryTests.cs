using System.Diagnostics;
using SweepCluster.Torch.Nn;
using SweepCluster.Torch.Optim;

namespace SweepCluster.Torch.Tests;

/// <summary>Resident memory is per process: these run alone, after the parallel tests, so others' allocations do not count.</summary>
[Trait("Category", "Slow")]
[Collection(nameof(MemoryTests))]
public sealed class MemoryTests
{
    [Fact]
    public void Dispose_scope_releases_temporaries_and_keeps_moved_tensors()
    {
        Tensor kept;
        Tensor temp;
        using (var outer = Torch.NewDisposeScope())
        {
            using (Torch.NewDisposeScope())
            {
                temp = Tensor.Ones([3]) * 2.0;
                kept = (temp + 1.0).MoveToOuterScope();
            }

            Assert.True(temp.IsDisposed);
            Assert.False(kept.IsDisposed);
            Assert.Equal([3f, 3f, 3f], kept.ToArray());
        }

        Assert.True(kept.IsDisposed);
    }

    [Fact]
    public void Two_thousand_training_steps_do_not_grow_resident_memory()
    {
        using var generator = new Generator(1);
        using var model = new Sequential(
            new Conv2d(1, 16, 3, padding: 1, generator: generator),
            new GroupNorm(1, 16),
            Activation.Relu(),
            new Conv2d(16, 1, 3, padding: 1, generator: generator));
        using var optimizer = new Adam(model.Parameters(), lr: 1e-3);
        using var x = Tensor.Randn([4, 1, 24, 24], generator).DetachFromScope();

        void Step()
        {
            using var scope = Torch.NewDisposeScope();
            optimizer.ZeroGrad();
            var loss = Functional.L1Loss(model.Forward(x), x);
            loss.Backward();
            Functional.ClipGradNorm(model.Parameters(), 1.0);
            optimizer.Step();
            _ = loss.Item();
        }

        for (var i = 0; i < 300; i++)
        {
            Step();
        }

        var warm = ResidentBytes();
        for (var i = 0; i < 2000; i++)
        {
            Step();
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

/// <summary>Runs <see cref="MemoryTests"/> with nothing else in parallel.</summary>
[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection
{
}
