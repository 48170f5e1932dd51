namespace SweepCluster.Telemetry.Tests;

[Trait("Category", "Unit")]
public sealed class TrialMetricRegistryTests
{
    [Fact]
    public void Adding_beyond_capacity_drops_the_trial_updated_longest_ago()
    {
        var registry = new TrialMetricRegistry(capacity: 3);
        registry.RecordPsnr("s", "t1", "c", 20);
        registry.RecordPsnr("s", "t2", "c", 21);
        registry.RecordPsnr("s", "t3", "c", 22);
        registry.RecordLoss("s", "t1", "c", "cross", 0.5); // t1 becomes the most recent

        registry.RecordPsnr("s", "t4", "c", 23);

        Assert.Equal(3, registry.Count);
        Assert.Equal(["t4", "t1", "t3"], registry.Snapshot().Select(t => t.TrialId));
    }

    [Fact]
    public void Default_capacity_keeps_the_most_recent_500_trials()
    {
        var registry = new TrialMetricRegistry();
        for (var i = 0; i < 650; i++)
        {
            registry.RecordLeakage("s", $"t{i}", "c", i);
        }

        var kept = registry.Snapshot();
        Assert.Equal(TrialMetricRegistry.DefaultCapacity, kept.Count);
        Assert.Equal("t649", kept[0].TrialId);
        Assert.Equal("t150", kept[^1].TrialId);
    }

    [Fact]
    public void Latest_values_per_term_replace_earlier_ones()
    {
        var registry = new TrialMetricRegistry();
        registry.RecordLoss("s", "t", "skip=concat", "cross", 0.9);
        registry.RecordLoss("s", "t", "skip=concat", "recon", 0.4);
        registry.RecordLoss("s", "t", "skip=concat", "cross", 0.7);
        registry.RecordPsnr("s", "t", "skip=concat", 25.5);

        var trial = Assert.Single(registry.Snapshot());
        Assert.Equal(0.7, trial.Losses["cross"]);
        Assert.Equal(0.4, trial.Losses["recon"]);
        Assert.Equal(25.5, trial.Psnr);
        Assert.Null(trial.Leakage);
        Assert.Equal("skip=concat", trial.ConfigName);
    }

    [Fact]
    public void Removed_trial_is_no_longer_reported()
    {
        var registry = new TrialMetricRegistry();
        registry.RecordPsnr("s", "t", "c", 1);

        Assert.True(registry.Remove("t"));
        Assert.False(registry.Remove("t"));
        Assert.Empty(registry.Snapshot());
    }

    [Fact]
    public void Capacity_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrialMetricRegistry(0));
    }
}
