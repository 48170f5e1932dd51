using SweepCluster.Cli.Output;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class PlainProgressLogTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Progress_prints_at_most_once_per_30_seconds_while_no_trial_changes()
    {
        var log = new PlainProgressLog(_clock, PlainProgressLog.DefaultInterval);
        TrialStatus[] trials = [Trial("a", "running"), Trial("b", "pending")];
        var progress = new List<string>();

        // Five minutes of polls every 2 s, as the run polls.
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(5); elapsed += Poll)
        {
            progress.AddRange(log.Observe(trials, "1/2 done", finished: false).Where(l => l.EndsWith("1/2 done", StringComparison.Ordinal)));
            _clock.Advance(Poll);
        }

        Assert.Equal(
            ["0:00", "0:30", "1:00", "1:30", "2:00", "2:30", "3:00", "3:30", "4:00", "4:30", "5:00"],
            progress.Select(l => l[1..l.IndexOf(']', StringComparison.Ordinal)]));
    }

    [Fact]
    public void A_trial_that_starts_and_ends_between_two_polls_is_still_announced_as_started()
    {
        var log = new PlainProgressLog(_clock, PlainProgressLog.DefaultInterval);
        log.Observe([Trial("a", "pending")], "progress", finished: false);
        _clock.Advance(Poll);

        Assert.Equal(
            ["[0:02] trial a (config a, seed 0) started", "[0:02] trial a (config a, seed 0) succeeded"],
            log.Observe([Trial("a", "succeeded")], "progress", finished: false));
    }

    [Fact]
    public void A_trial_that_starts_or_ends_gets_its_own_line_at_once()
    {
        var log = new PlainProgressLog(_clock, PlainProgressLog.DefaultInterval);

        Assert.Equal(["[0:00] progress"], log.Observe([Trial("a", "pending"), Trial("b", "pending")], "progress", finished: false));
        _clock.Advance(Poll);
        Assert.Equal(["[0:02] trial a (config a, seed 0) started"], log.Observe([Trial("a", "placed"), Trial("b", "pending")], "progress", finished: false));
        _clock.Advance(Poll);
        // Placed and running are one phase to a reader.
        Assert.Empty(log.Observe([Trial("a", "running"), Trial("b", "pending")], "progress", finished: false));
        _clock.Advance(Poll);
        Assert.Equal(
            ["[0:06] trial a (config a, seed 0) succeeded", "[0:06] trial b (config b, seed 0) started"],
            log.Observe([Trial("a", "succeeded"), Trial("b", "running")], "progress", finished: false));
        _clock.Advance(Poll);
        Assert.Equal(
            ["[0:08] trial b (config b, seed 0) failed", "[0:08] 2/2 done"],
            log.Observe([Trial("a", "succeeded"), Trial("b", "failed")], "2/2 done", finished: true));
    }

    [Fact]
    public void A_resumed_sweep_announces_no_trial_that_ended_before_it_and_a_requeued_trial_once()
    {
        var log = new PlainProgressLog(_clock, PlainProgressLog.DefaultInterval);

        Assert.Equal(
            ["[0:00] trial b (config b, seed 0) started", "[0:00] progress"],
            log.Observe([Trial("a", "succeeded"), Trial("b", "running"), Trial("c", "cancelled")], "progress", finished: false));
        _clock.Advance(Poll);
        Assert.Equal(
            ["[0:02] trial b (config b, seed 0) queued again"],
            log.Observe([Trial("a", "succeeded"), Trial("b", "pending"), Trial("c", "cancelled")], "progress", finished: false));
        _clock.Advance(Poll);
        Assert.Empty(log.Observe([Trial("a", "succeeded"), Trial("b", "pending"), Trial("c", "cancelled")], "progress", finished: false));
    }

    [Fact]
    public void A_pruned_trial_gets_its_line_with_the_reason()
    {
        var log = new PlainProgressLog(_clock, PlainProgressLog.DefaultInterval);
        log.Observe([Trial("a", "running")], "progress", finished: false);
        _clock.Advance(Poll);

        Assert.Equal(
            ["[0:02] trial a (config a, seed 0) pruned at epoch 1: eval.psnr_cross 10.3 is below the rung's top third (cut 14.47, 4 configurations at this rung)", "[0:02] 1/1 done"],
            log.Observe([Trial("a", "pruned") with { Reason = "pruned at epoch 1: eval.psnr_cross 10.3 is below the rung's top third (cut 14.47, 4 configurations at this rung)" }], "1/1 done", finished: true));
    }

    private static TrialStatus Trial(string id, string state) => new(id, $"config {id}, seed 0", state);
}
