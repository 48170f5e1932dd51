using System.Collections.Immutable;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class SlotLedgerTests
{
    private static readonly DateTimeOffset T0 = TestData.T0;
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(5);

    [Fact]
    public void Queued_trials_are_placed_by_priority_on_free_slots_and_the_rest_wait_with_the_placers_reason()
    {
        var ledger = Ledger();
        ledger.Enqueue(Queued("low-first", order: 0));
        ledger.Enqueue(Queued("low-second", order: 1));
        ledger.Enqueue(Queued("high", priority: 5, order: 2));

        var (placed, reasons) = ledger.Place([TestData.CpuSilo("silo-a", slots: 2)], T0);

        Assert.Equal(["high", "low-first"], placed.Select(p => p.Allocation.TrialId));
        Assert.All(placed, p => Assert.Equal((1, "silo-a", false, T0), (p.Allocation.Attempt, p.Allocation.SiloId, p.Allocation.Confirmed, p.Allocation.PlacedAt)));
        Assert.Equal(["cpu0", "cpu1"], placed.SelectMany(p => p.Allocation.SlotIds).Order(StringComparer.Ordinal));
        Assert.Equal("high", placed[0].Trial.TrialId);
        Assert.Equal("waiting for a free slot", Assert.Single(reasons, r => r.Key == "low-second").Value);
        Assert.Equal(["low-second"], ledger.Queue.Select(q => q.TrialId));
        Assert.Equal(2, ledger.Allocations.Count);
    }

    [Fact]
    public void Placed_trial_holds_its_slots_until_that_attempt_is_released()
    {
        var ledger = Ledger();
        var silo = TestData.CpuSilo("silo-a", slots: 1);
        ledger.Enqueue(Queued("first", order: 0));
        ledger.Enqueue(Queued("second", order: 1));
        Assert.Equal("first", Assert.Single(ledger.Place([silo], T0).Placed).Allocation.TrialId);

        Assert.Empty(ledger.Place([silo], T0).Placed);
        Assert.False(ledger.Release("first", 2));
        Assert.False(ledger.Release("first", 0));
        Assert.False(ledger.Release("unknown", 1));
        Assert.Empty(ledger.Place([silo], T0).Placed);
        Assert.Equal("first", Assert.Single(ledger.Allocations).TrialId);

        Assert.True(ledger.Release("first", 1));
        Assert.False(ledger.Release("first", 1));
        var next = Assert.Single(ledger.Place([silo], T0).Placed);

        Assert.Equal(("second", "cpu0"), (next.Allocation.TrialId, Assert.Single(next.Allocation.SlotIds)));
    }

    [Fact]
    public void Enqueue_of_the_next_attempt_frees_the_slots_of_the_previous_attempt()
    {
        var ledger = Ledger();
        var silo = TestData.CpuSilo("silo-a", slots: 1);
        ledger.Enqueue(Queued("t", attempt: 1));
        ledger.Place([silo], T0);

        ledger.Enqueue(Queued("t", attempt: 2));

        Assert.Empty(ledger.Allocations);
        Assert.Equal(2, Assert.Single(ledger.Queue).Attempt);
        var again = Assert.Single(ledger.Place([silo], T0).Placed).Allocation;
        Assert.Equal((2, "cpu0"), (again.Attempt, Assert.Single(again.SlotIds)));
        // Attempt 1's release, arriving late, frees nothing of attempt 2.
        Assert.False(ledger.Release("t", 1));
        Assert.Equal(2, Assert.Single(ledger.Allocations).Attempt);
    }

    [Fact]
    public void Late_enqueue_of_an_attempt_older_than_the_held_one_is_ignored()
    {
        var ledger = Ledger();
        var silo = TestData.CpuSilo("silo-a", slots: 1);
        ledger.Enqueue(Queued("t", attempt: 3));
        ledger.Place([silo], T0);

        ledger.Enqueue(Queued("t", attempt: 2));
        ledger.Enqueue(Queued("t", attempt: 3));

        Assert.Empty(ledger.Queue);
        Assert.Equal(3, Assert.Single(ledger.Allocations).Attempt);
        Assert.Empty(ledger.Place([silo], T0).Placed);
    }

    [Fact]
    public void Late_enqueue_of_an_older_attempt_does_not_replace_a_newer_queued_one()
    {
        var ledger = Ledger();
        ledger.Enqueue(Queued("t", attempt: 3));

        ledger.Enqueue(Queued("t", attempt: 2));

        Assert.Equal(3, Assert.Single(ledger.Queue).Attempt);
    }

    [Fact]
    public void Drop_frees_an_unconfirmed_placement_of_that_attempt_only()
    {
        var ledger = Ledger();
        var silo = TestData.CpuSilo("silo-a", slots: 2);
        ledger.Enqueue(Queued("confirmed", order: 0));
        ledger.Enqueue(Queued("refused", order: 1));
        ledger.Place([silo], T0);
        ledger.Confirm("confirmed", 1);

        ledger.Drop("confirmed", 1);
        ledger.Drop("refused", 2);
        Assert.Equal(["confirmed", "refused"], ledger.Allocations.Select(a => a.TrialId).Order(StringComparer.Ordinal));

        ledger.Drop("refused", 1);

        var held = Assert.Single(ledger.Allocations);
        Assert.Equal(("confirmed", true), (held.TrialId, held.Confirmed));
        // The dropped trial leaves the queue too: its grain says what it is.
        Assert.Empty(ledger.Queue);
        ledger.Enqueue(Queued("other"));
        Assert.Equal("other", Assert.Single(ledger.Place([silo], T0).Placed).Allocation.TrialId);
    }

    [Fact]
    public void Unconfirmed_placements_are_due_for_resend_only_after_the_interval()
    {
        var ledger = Ledger();
        ledger.Enqueue(Queued("sent", order: 0));
        ledger.Enqueue(Queued("confirmed", order: 1));
        ledger.Enqueue(Queued("never-sent", order: 2));
        ledger.Place([TestData.CpuSilo("silo-a", slots: 3)], T0);
        ledger.Sent("sent", T0);
        ledger.Sent("confirmed", T0);
        ledger.Confirm("confirmed", 1);

        Assert.Equal(["never-sent"], Due(ledger, T0 + ResendAfter - TimeSpan.FromMilliseconds(1)));
        var due = ledger.DueForResend(T0 + ResendAfter, ResendAfter);

        Assert.Equal(["never-sent", "sent"], due.Select(d => d.Allocation.TrialId).Order(StringComparer.Ordinal));
        Assert.All(due, d => Assert.Equal(d.Allocation.TrialId, d.Trial.TrialId));

        ledger.Sent("sent", T0 + ResendAfter);
        ledger.Sent("never-sent", T0 + ResendAfter);
        Assert.Empty(Due(ledger, T0 + ResendAfter + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Allocations_on_gone_silos_are_reported_and_others_are_not()
    {
        var ledger = new SlotLedger(new TrialPlacer(PlacementPolicy.Spread));
        ledger.Enqueue(Queued("on-a", order: 0));
        ledger.Enqueue(Queued("on-b", order: 1));
        var (placed, _) = ledger.Place([TestData.CpuSilo("silo-a", slots: 1), TestData.CpuSilo("silo-b", slots: 1)], T0);
        Assert.Equal([("on-a", "silo-a"), ("on-b", "silo-b")], placed.Select(p => (p.Allocation.TrialId, p.Allocation.SiloId)));

        var lost = ledger.OnGoneSilos(silo => silo == "silo-a");

        Assert.Equal(("on-a", 1), (Assert.Single(lost).TrialId, lost[0].Attempt));
        Assert.Empty(ledger.OnGoneSilos(_ => false));
        Assert.Equal(2, ledger.OnGoneSilos(_ => true).Count);
    }

    [Fact]
    public void Load_replaces_everything_with_the_snapshot_and_holds_its_live_slots_as_confirmed()
    {
        var ledger = Ledger();
        ledger.Enqueue(Queued("forgotten"));
        ledger.Place([TestData.CpuSilo("silo-x", slots: 1)], T0);
        ledger.Enqueue(Queued("forgotten-too"));
        var live = new SlotAllocation { TrialId = "running", SweepId = "sweep-1", Attempt = 2, SiloId = "silo-a", SlotIds = ["cpu0"], PlacedAt = T0 };

        ledger.Load(new SchedulerSnapshot([Queued("waiting", attempt: 3)], [live]));

        var held = Assert.Single(ledger.Allocations);
        Assert.Equal(("running", 2, "silo-a", true), (held.TrialId, held.Attempt, held.SiloId, held.Confirmed));
        Assert.Equal(("waiting", 3), (Assert.Single(ledger.Queue).TrialId, ledger.Queue.Single().Attempt));
        Assert.Empty(Due(ledger, T0 + TimeSpan.FromHours(1)));
        var next = Assert.Single(ledger.Place([TestData.CpuSilo("silo-a", slots: 2)], T0).Placed).Allocation;
        Assert.Equal(("waiting", 3, "cpu1"), (next.TrialId, next.Attempt, Assert.Single(next.SlotIds)));
        Assert.False(ledger.Release("running", 1));
        Assert.True(ledger.Release("running", 2));
    }

    [Fact]
    public void Two_gpu_trial_never_lands_on_a_one_gpu_silo_and_its_reason_says_why()
    {
        var ledger = Ledger();
        var oneGpu = TestData.GpuSilo("one-gpu", 80);
        ledger.Enqueue(Queued("two-gpus", resources: new TrialResources { Gpus = 2 }));

        var (placed, reasons) = ledger.Place([oneGpu, TestData.CpuSilo("cpu", slots: 4)], T0);

        Assert.Empty(placed);
        Assert.Equal("needs 2 GPUs but the largest silo has 1", reasons["two-gpus"]);
        Assert.Single(ledger.Queue);

        var onTwo = Assert.Single(ledger.Place([oneGpu, TestData.GpuSilo("two-gpu", 40, 40)], T0).Placed).Allocation;

        Assert.Equal("two-gpu", onTwo.SiloId);
        Assert.Equal<string>(["gpu0", "gpu1"], onTwo.SlotIds);
    }

    [Fact]
    public void Labelled_trial_waits_for_a_silo_with_its_labels_even_when_others_are_free()
    {
        var ledger = Ledger();
        var unlabelled = TestData.CpuSilo("plain", slots: 4);
        var wrongZone = TestData.CpuSilo("us", slots: 4, TestData.Labels(("zone", "us")));
        ledger.Enqueue(Queued("needs-eu", resources: new TrialResources { Labels = ImmutableDictionary<string, string>.Empty.Add("zone", "eu") }));

        var (placed, reasons) = ledger.Place([unlabelled, wrongZone], T0);

        Assert.Empty(placed);
        Assert.Equal("needs label zone=eu: no silo has it", reasons["needs-eu"]);

        var eu = TestData.CpuSilo("eu", slots: 1, TestData.Labels(("zone", "eu"), ("rack", "7")));
        var allocation = Assert.Single(ledger.Place([unlabelled, wrongZone, eu], T0).Placed).Allocation;

        Assert.Equal(("needs-eu", "eu"), (allocation.TrialId, allocation.SiloId));
    }

    private static SlotLedger Ledger() => new(new TrialPlacer(PlacementPolicy.Pack));

    private static string[] Due(SlotLedger ledger, DateTimeOffset now) =>
        [.. ledger.DueForResend(now, ResendAfter).Select(d => d.Allocation.TrialId).Order(StringComparer.Ordinal)];

    private static QueuedTrial Queued(string id, int attempt = 1, int priority = 0, int order = 0, TrialResources? resources = null) => new()
    {
        TrialId = id,
        Attempt = attempt,
        Definition = new TrialDefinition
        {
            SweepId = "sweep-1",
            MaxAttempts = 3,
            Priority = priority,
            OrderIndex = order,
            SubmittedAt = T0,
            Resources = resources ?? TrialResources.Cpu,
        },
    };
}
