using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Integration")]
public sealed class TrialGrainTests(TrialGrainClusterFixture fixture) : IClassFixture<TrialGrainClusterFixture>
{
    [Fact]
    public async Task Report_of_a_stale_attempt_is_refused_and_stores_nothing()
    {
        var trialId = NewTrialId();
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(trialId);
        await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-a", Attempt = 1 }));
        await AcceptAsync(grain.AttemptStartedAsync(1, "silo-a"));
        await AcceptAsync(grain.ReportAsync(Report(1, "silo-a", 100, "ckpt-100")));
        await AcceptAsync(grain.SiloLostAsync("silo-a"));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-b", Attempt = 2 }));
        var before = await grain.GetAsync();

        var reply = await grain.ReportAsync(Report(1, "silo-a", 900, "ckpt-900-stale"));

        Assert.False(reply.Accepted);
        Assert.Equal(nameof(RefusalKind.StaleAttempt), reply.Refusal);
        Assert.Equal(2, reply.CurrentAttempt);
        Assert.Equal(TrialDecisionKind.RefuseStale, Assert.Single(reply.Decisions).Kind);
        var after = await grain.GetAsync();
        Assert.Equal(before.ETag, after.ETag);
        // What storage holds, read by a fresh activation.
        await fixture.Cluster.DeactivateAsync(grain);
        var stored = (await grain.GetAsync()).State;
        Assert.Equal(before.ETag, (await grain.GetAsync()).ETag);
        Assert.Equal("ckpt-100", stored.CheckpointRef);
        Assert.Equal(100, stored.LastStep);
        Assert.Equal(TrialPhase.Placed, stored.Phase);
        Assert.Equal(2, stored.CurrentAttempt);
    }

    [Fact]
    public async Task Trial_whose_silo_is_lost_is_requeued_as_the_next_attempt_with_its_checkpoint()
    {
        var trialId = NewTrialId();
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(trialId);
        await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-a", Attempt = 1, SlotIds = ["gpu0"] }));
        await AcceptAsync(grain.AttemptStartedAsync(1, "silo-a"));
        await AcceptAsync(grain.ReportAsync(Report(1, "silo-a", 250, "ckpt-250")));

        var lost = await AcceptAsync(grain.SiloLostAsync("silo-a"));

        Assert.Equal(TrialPhase.Pending, lost.Phase);
        var requeue = Assert.Single(lost.Decisions);
        Assert.Equal((TrialDecisionKind.Requeue, 2, "ckpt-250"), (requeue.Kind, requeue.Attempt, requeue.CheckpointRef));
        await fixture.Cluster.DeactivateAsync(grain);
        var stored = (await grain.GetAsync()).State;
        Assert.Equal(TrialPhase.Pending, stored.Phase);
        Assert.Equal(AttemptPhase.Lost, stored.Attempt!.Phase);
        Assert.Equal("ckpt-250", stored.CheckpointRef);
        Assert.Contains("attempt 2 of 3 will resume from checkpoint ckpt-250", stored.PendingReason, StringComparison.Ordinal);

        var placed = await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-b", Attempt = 2, SlotIds = ["gpu1"] }));

        Assert.Equal(new TrialDecision(TrialDecisionKind.StartAttempt, 2, "silo-b", "ckpt-250", "resume from checkpoint ckpt-250"), Assert.Single(placed.Decisions));
        Assert.Equal("ckpt-250", (await grain.GetAsync()).State.Attempt!.ResumedFrom);
        Assert.Equal(
            [TrialDecisionKind.Requeue, TrialDecisionKind.StartAttempt, TrialDecisionKind.Requeue, TrialDecisionKind.StartAttempt],
            fixture.Decisions.For(trialId).Select(d => d.Kind));
    }

    [Fact]
    public async Task Diverged_report_fails_the_trial_and_stops_the_attempt()
    {
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(NewTrialId());
        await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = "silo-a", Attempt = 1 }));
        var report = Report(1, "silo-a", 77, null) with { Metrics = ImmutableDictionary<string, double>.Empty.Add("loss.cross", double.NaN) };

        var reply = await AcceptAsync(grain.ReportAsync(report));

        Assert.Equal(TrialPhase.Failed, reply.Phase);
        await fixture.Cluster.DeactivateAsync(grain);
        Assert.Equal("diverged at step 77 (loss.cross = NaN)", (await grain.GetAsync()).State.FailureReason);
    }

    [Fact]
    public async Task Progress_report_of_a_running_attempt_stores_nothing_and_its_step_is_stored_with_the_next_transition()
    {
        var grain = fixture.Cluster.Client.GetGrain<ITrialGrain>(NewTrialId());
        // The silo the grain activates on: a placement naming another one would move it.
        var silo = fixture.Cluster.Silos[0].SiloAddress.ToParsableString();
        await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
        await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = silo, Attempt = 1 }));
        await AcceptAsync(grain.AttemptStartedAsync(1, silo));
        var before = await grain.GetAsync();

        await AcceptAsync(grain.ReportMetricsAsync(1, silo, [], new AttemptProgressReport { Step = 50, TotalSteps = 100 }));

        var after = await grain.GetAsync();
        Assert.Equal((before.ETag, TrialPhase.Running, 50L), (after.ETag, after.State.Phase, after.State.LastStep));
        await AcceptAsync(grain.AttemptEndedAsync(new AttemptEnd { Attempt = 1, SiloId = silo, Outcome = AttemptOutcome.Succeeded, SummaryJson = "{}" }));
        await fixture.Cluster.DeactivateAsync(grain);
        var stored = await grain.GetAsync();
        Assert.NotEqual(before.ETag, stored.ETag);
        Assert.Equal((TrialPhase.Succeeded, 50L), (stored.State.Phase, stored.State.LastStep));
    }

    private static string NewTrialId() => $"trial-{Guid.NewGuid():N}";
}
