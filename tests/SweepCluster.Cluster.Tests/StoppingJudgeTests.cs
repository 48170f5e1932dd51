using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class StoppingJudgeTests
{
    private static readonly StoppingPolicy Asha = new() { Rule = StoppingRule.Asha, Metric = "eval.psnr_cross", GraceEpochs = 1, ReductionFactor = 3 };

    private static readonly StoppingPolicy Median = new() { Rule = StoppingRule.Median, Metric = "eval.psnr_cross", GraceEpochs = 2, MinTrials = 2 };

    private static StoppingJudge Judge(StoppingPolicy policy, params string[] trials) =>
        new(policy, trials.Select(t => new StoppingMember(t, "config-" + t.Split('#')[0])));

    [Fact]
    public void Asha_prunes_a_configuration_below_the_rungs_top_third_with_a_readable_reason()
    {
        var judge = Judge(Asha, "a", "b", "c", "d");
        Assert.False(Assert.Single(judge.Observe(StoppingEvent.Reported("a", 1, 22.1))).Pruned);
        Assert.False(Assert.Single(judge.Observe(StoppingEvent.Reported("b", 1, 23.0))).Pruned);
        var pruned = Assert.Single(judge.Observe(StoppingEvent.Reported("c", 1, 21.3)));

        Assert.True(pruned.Pruned);
        Assert.Equal(1, pruned.Epoch);
        Assert.Equal(["c"], pruned.TrialIds.ToArray());
        Assert.Equal("pruned at epoch 1: eval.psnr_cross 21.3 is below the rung's top third (cut 23, 3 configurations at this rung)", pruned.Reason);
        Assert.Same(pruned, judge.PruneOf("c"));
        Assert.Null(judge.PruneOf("a"));
        Assert.Empty(judge.Observe(StoppingEvent.Reported("c", 2, 40)));
    }

    [Fact]
    public void Asha_judges_only_at_rungs_grace_times_powers_of_the_reduction_factor()
    {
        var policy = Asha with { GraceEpochs = 2, ReductionFactor = 3 };
        var judge = Judge(policy, "a");
        var judgedAt = new List<int>();
        for (var epoch = 1; epoch <= 20; epoch++)
        {
            judgedAt.AddRange(judge.Observe(StoppingEvent.Reported("a", epoch, epoch)).Select(d => d.Epoch));
        }

        Assert.Equal([2, 6, 18], judgedAt);
    }

    [Fact]
    public void Asha_minimizing_keeps_the_lowest()
    {
        var judge = Judge(Asha with { Maximize = false, ReductionFactor = 2 }, "a", "b");
        Assert.False(Assert.Single(judge.Observe(StoppingEvent.Reported("a", 1, 0.5))).Pruned);
        var pruned = Assert.Single(judge.Observe(StoppingEvent.Reported("b", 1, 0.7)));
        Assert.True(pruned.Pruned);
        Assert.Contains("0.7 is above the rung's top half (cut 0.5", pruned.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeds_are_judged_by_their_mean_once_every_seed_reported_and_a_prune_stops_them_all()
    {
        var judge = Judge(Asha with { ReductionFactor = 2 }, "x#0", "x#1", "y");
        Assert.False(Assert.Single(judge.Observe(StoppingEvent.Reported("y", 1, 10))).Pruned);

        // One seed alone is not judged: it trains on while its sibling catches up.
        Assert.Empty(judge.Observe(StoppingEvent.Reported("x#0", 1, 12)));
        Assert.Empty(judge.Observe(StoppingEvent.Reported("x#0", 2, 12)));
        var pruned = Assert.Single(judge.Observe(StoppingEvent.Reported("x#1", 1, 6)));

        Assert.True(pruned.Pruned);
        Assert.Equal(["x#0", "x#1"], pruned.TrialIds.ToArray());
        Assert.Contains("eval.psnr_cross 9 is below", pruned.Reason, StringComparison.Ordinal);
        Assert.EndsWith("; the mean of 2 seeds)", pruned.Reason, StringComparison.Ordinal);
        Assert.Same(pruned, judge.PruneOf("x#0"));
    }

    [Fact]
    public void A_withdrawn_seed_lets_its_configuration_be_judged_on_the_others()
    {
        var judge = Judge(Asha with { ReductionFactor = 2 }, "x#0", "x#1", "y");
        judge.Observe(StoppingEvent.Reported("y", 1, 10));
        Assert.Empty(judge.Observe(StoppingEvent.Reported("x#0", 1, 8)));

        var pruned = Assert.Single(judge.Observe(StoppingEvent.Withdrawn("x#1")));
        Assert.True(pruned.Pruned);
        Assert.Equal(1, pruned.Epoch);
    }

    [Fact]
    public void Median_waits_for_min_trials_completed_configurations_and_compares_running_averages()
    {
        var judge = Judge(Median, "a", "b", "c");
        foreach (var (trial, values) in new[] { ("a", new[] { 10.0, 14, 15 }), ("b", new[] { 12.0, 13, 13 }) })
        {
            for (var e = 1; e <= values.Length; e++)
            {
                Assert.Empty(judge.Observe(StoppingEvent.Reported(trial, e, values[e - 1])));
            }

            if (trial == "a")
            {
                // One completed configuration is fewer than min_trials: c is not judged against it.
                judge.Observe(StoppingEvent.Completed(trial));
            }
        }

        Assert.Empty(judge.Observe(StoppingEvent.Reported("c", 1, 11.9)));
        Assert.Empty(judge.Observe(StoppingEvent.Reported("c", 2, 11.9)));
        judge.Observe(StoppingEvent.Completed("b"));

        // At epoch 3 the running averages are a: 13, b: 12.67; their median 12.83. c's best 12.5 is below it.
        var pruned = Assert.Single(judge.Observe(StoppingEvent.Reported("c", 3, 12.5)));
        Assert.True(pruned.Pruned);
        Assert.Equal("pruned at epoch 3: best eval.psnr_cross 12.5 is below the median 12.83 of 2 completed configurations' running averages at epoch 3", pruned.Reason);
    }

    [Fact]
    public void Median_does_not_judge_before_the_grace_epoch()
    {
        var judge = Judge(Median with { MinTrials = 1 }, "a", "b");
        judge.Observe(StoppingEvent.Reported("a", 1, 30));
        judge.Observe(StoppingEvent.Reported("a", 2, 30));
        judge.Observe(StoppingEvent.Completed("a"));

        Assert.Empty(judge.Observe(StoppingEvent.Reported("b", 1, 1)));
        Assert.True(Assert.Single(judge.Observe(StoppingEvent.Reported("b", 2, 1))).Pruned);
    }

    [Fact]
    public void Replaying_the_log_gives_the_same_decisions_and_a_repeated_value_changes_nothing()
    {
        var events = CurveScenario.Generate(seed: 5, trials: 30, epochs: 9, slots: 4, maximize: true);
        var members = events.Select(e => e.TrialId).Distinct().Select(t => new StoppingMember(t, t)).ToList();
        var live = new StoppingJudge(Asha, members);
        var decided = new List<StoppingDecision>();
        foreach (var e in events)
        {
            decided.AddRange(live.Observe(e));

            // A retried report (the same epoch again, even with another value) is ignored.
            Assert.Empty(live.Observe(e with { Value = e.Value + 100 }));
        }

        var (_, replayed) = StoppingJudge.Replay(Asha, members, events);
        Assert.Equal(decided.Select(d => (d.ConfigKey, d.Epoch, d.Pruned, d.Reason)), replayed.Select(d => (d.ConfigKey, d.Epoch, d.Pruned, d.Reason)));
        Assert.Contains(decided, d => d.Pruned);
        Assert.Contains(decided, d => !d.Pruned);
    }

    [Fact]
    public void Trials_that_are_not_members_are_neither_judged_nor_compared_with()
    {
        var judge = Judge(Asha with { ReductionFactor = 2 }, "a", "b");
        Assert.Empty(judge.Observe(StoppingEvent.Reported("opted-out", 1, 100)));
        Assert.False(Assert.Single(judge.Observe(StoppingEvent.Reported("a", 1, 10))).Pruned);
        Assert.False(judge.IsMember("opted-out"));
    }
}
