using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

public sealed class ClaimWindowsTests
{
    [Fact]
    public void One_free_slot_offers_two_trials_first_and_widens_eightfold_to_the_whole_queue()
    {
        Assert.Equal([2, 16, 128, 1024, ClaimWindows.Widest, null], ClaimWindows.For(1));
    }

    [Fact]
    public void The_first_window_follows_the_free_slots_between_two_and_sixty_four()
    {
        Assert.Equal(2, ClaimWindows.For(0).First());
        Assert.Equal(16, ClaimWindows.For(8).First());
        Assert.Equal(64, ClaimWindows.For(500).First());
        Assert.Null(ClaimWindows.For(500).Last());
    }
}
