using System.Globalization;
using SweepCluster.Cluster.EarlyStopping;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Our early-stopping decisions against Optuna 3.1's pruners (Debian python3-optuna) on the same recorded curves in
/// the same arrival order: the pruned trials and the epochs they were pruned at must be the same. Where our rules
/// differ from Optuna's on purpose, the difference is shown here too.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StoppingJudgeOptunaTests(ITestOutputHelper output)
{
    private static StoppingPolicy Policy(StoppingRule rule, bool maximize, int grace, int reductionFactor = 3, int minTrials = 1) => new()
    {
        Rule = rule,
        Metric = "eval.psnr_cross",
        Maximize = maximize,
        GraceEpochs = grace,
        ReductionFactor = reductionFactor,
        MinTrials = minTrials,
    };

    [Fact]
    public void Asha_and_median_prune_the_same_trials_at_the_same_epochs_as_optuna()
    {
        var cases = new List<(string Name, OptunaPruning.Case Case)>();
        foreach (var maximize in new[] { true, false })
        {
            foreach (var seed in new[] { 1, 2 })
            {
                var events = CurveScenario.Generate(seed, trials: 40, epochs: 9, slots: 4, maximize);
                foreach (var (grace, factor) in new[] { (1, 2), (1, 3), (2, 3), (1, 4) })
                {
                    cases.Add(($"asha grace={grace} rf={factor} {(maximize ? "max" : "min")} curves#{seed}",
                        new OptunaPruning.Case("asha", Policy(StoppingRule.Asha, maximize, grace, reductionFactor: factor), events)));
                }

                foreach (var (grace, minTrials) in new[] { (1, 1), (2, 3), (1, 5) })
                {
                    cases.Add(($"median grace={grace} min_trials={minTrials} {(maximize ? "max" : "min")} curves#{seed}",
                        new OptunaPruning.Case("median-running-average", Policy(StoppingRule.Median, maximize, grace, minTrials: minTrials), events)));
                }
            }
        }

        var theirs = OptunaPruning.Run([.. cases.Select(c => c.Case)]);
        output.WriteLine("| case | trials | pruned (ours) | pruned (Optuna) | same trials and epochs |");
        output.WriteLine("|---|---|---|---|---|");
        var disagreements = new List<string>();
        for (var i = 0; i < cases.Count; i++)
        {
            var (name, c) = cases[i];
            var ours = OptunaPruning.Ours(c.Policy, c.Events);
            var same = ours.Count == theirs[i].Count && ours.All(p => theirs[i].TryGetValue(p.Key, out var epoch) && epoch == p.Value);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | 40 | {ours.Count} | {theirs[i].Count} | {(same ? "yes" : "NO")} |"));
            if (!same)
            {
                disagreements.Add($"{name}: ours [{OptunaPruning.Describe(ours)}], Optuna [{OptunaPruning.Describe(theirs[i])}]");
            }

            // A case that prunes nothing, or every trial, would agree without proving much.
            Assert.InRange(ours.Count, 1, 39);
        }

        Assert.Empty(disagreements);
    }

    [Fact]
    public void Median_compares_running_averages_where_optunas_median_pruner_compares_the_values_at_the_epoch()
    {
        // Three completed trials rise from 10 to 14: their running average at epoch 2 is 12, their value 14. The live
        // trial's best, 13, is above the running averages' median and below the values' median.
        var events = new List<StoppingEvent>();
        foreach (var trial in new[] { "a", "b", "c" })
        {
            events.AddRange([StoppingEvent.Reported(trial, 1, 10), StoppingEvent.Reported(trial, 2, 14), StoppingEvent.Completed(trial)]);
        }

        events.AddRange([StoppingEvent.Reported("d", 1, 11), StoppingEvent.Reported("d", 2, 13)]);
        var policy = Policy(StoppingRule.Median, maximize: true, grace: 1, minTrials: 3);

        var results = OptunaPruning.Run([new OptunaPruning.Case("median", policy, events), new OptunaPruning.Case("median-running-average", policy, events)]);
        Assert.Equal(new Dictionary<string, int> { ["d"] = 2 }, results[0]);
        Assert.Empty(results[1]);
        Assert.Empty(OptunaPruning.Ours(policy, events));
    }

    [Fact]
    public void Seeds_are_judged_together_where_optuna_judges_each_trial_alone()
    {
        // Configuration x has two seeds. Optuna, seeing three trials, prunes seed x#1 (9 is below the best of the rung)
        // and lets x#0 go on; we judge x on the mean of its seeds, 11, which is the best at the rung: both go on.
        var events = new List<StoppingEvent>
        {
            StoppingEvent.Reported("y", 1, 10),
            StoppingEvent.Reported("x#0", 1, 13),
            StoppingEvent.Reported("x#1", 1, 9),
        };
        var policy = Policy(StoppingRule.Asha, maximize: true, grace: 1, reductionFactor: 2);

        var optuna = OptunaPruning.Run([new OptunaPruning.Case("asha", policy, events)])[0];
        Assert.Equal(new Dictionary<string, int> { ["x#1"] = 1 }, optuna);
        Assert.Empty(OptunaPruning.Ours(policy, events, t => t.Split('#')[0]));

        // Each seed its own configuration, we agree with Optuna again.
        Assert.Equal(optuna, OptunaPruning.Ours(policy, events));
    }
}
