using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class SweepEtaTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_median_reads_the_finished_attempts_of_succeeded_and_failed_trials_only()
    {
        TrialRecord[] trials =
        [
            Trial("a", TrialState.Succeeded, 10), Trial("b", TrialState.Failed, 30), Trial("c", TrialState.Succeeded, 20),
            Trial("d", TrialState.Cancelled, 500), Trial("e", TrialState.Running, null), Trial("f", TrialState.Succeeded, 1000, removed: true),
        ];

        Assert.Equal(20, SweepEta.MedianTrialSeconds(trials));
        Assert.Equal(15, SweepEta.MedianTrialSeconds(trials.Take(1).Append(trials[2])));
        Assert.Null(SweepEta.MedianTrialSeconds([Trial("x", TrialState.Running, null)]));
    }

    [Fact]
    public void The_estimate_spreads_what_is_left_over_the_slots_the_sweep_holds()
    {
        // Four waiting and two running (taken as half done) on two slots, 60 s each: (4 + 1) * 60 / 2.
        Assert.Equal(150, SweepEta.Estimate(60, waiting: 4, active: 2));
        // Nothing running: one slot is assumed.
        Assert.Equal(240, SweepEta.Estimate(60, waiting: 4, active: 0));
        Assert.Equal(0, SweepEta.Estimate(null, waiting: 0, active: 0));
        Assert.Null(SweepEta.Estimate(null, waiting: 3, active: 1));
    }

    private static TrialRecord Trial(string id, TrialState state, double? seconds, bool removed = false)
    {
        var attempt = new AttemptSnapshot(1, state switch
        {
            TrialState.Succeeded => AttemptState.Succeeded,
            TrialState.Running => AttemptState.Running,
            _ => AttemptState.Failed,
        }, "silo", ["cpu0"], Start, seconds is { } s ? Start.AddSeconds(s) : null, null, null);
        var definition = new NewTrial(id, "config", "key", 0, "{}", string.Empty, null, "{}", ResourceRequest.Cpu, 3, 0, 0);
        var snapshot = new TrialSnapshot(id, "sweep", state, 1, 3, 0, 0, Start, ResourceRequest.Cpu, attempt, null, null, null) { RemovedInRevision = removed ? 2 : null };
        return new TrialRecord(definition, snapshot);
    }
}
