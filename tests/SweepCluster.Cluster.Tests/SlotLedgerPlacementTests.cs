using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Tests;

/// <summary>The ledger's queue order and its placement after a release (<see cref="SlotLedger.PlaceOnFreeSlots"/>).</summary>
[Trait("Category", "Unit")]
public sealed class SlotLedgerPlacementTests
{
    private static readonly SiloInfo OneSlot = TestData.CpuSilo("a", slots: 1);

    [Fact]
    public void Trials_are_placed_one_per_free_slot_in_queue_order_through_enqueues_requeues_and_removals()
    {
        var ledger = new SlotLedger(new TrialPlacer(PlacementPolicy.Pack));
        ledger.Enqueue(Queued("late", submittedSeconds: 9));
        ledger.Enqueue(Queued("second", order: 1));
        ledger.Enqueue(Queued("urgent", priority: 5, submittedSeconds: 20));
        ledger.Enqueue(Queued("first", order: 0));
        ledger.Enqueue(Queued("gone", order: 2));
        ledger.Remove("gone");
        // A requeue of a queued trial replaces it, and an older one is ignored: it is taken once.
        ledger.Enqueue(Queued("second", order: 1, attempt: 2));
        ledger.Enqueue(Queued("second", order: 1, attempt: 1));

        var order = new List<(string, int)>();
        for (var i = 0; i < 6; i++)
        {
            foreach (var (allocation, _) in ledger.PlaceOnFreeSlots([OneSlot], TestData.T0))
            {
                order.Add((allocation.TrialId, allocation.Attempt));
                Assert.True(ledger.Release(allocation.TrialId, allocation.Attempt));
            }
        }

        Assert.Equal([("urgent", 1), ("first", 1), ("second", 2), ("late", 1)], order);
        Assert.Empty(ledger.Queue);
    }

    [Fact]
    public void Placement_after_a_release_places_what_a_full_placement_would()
    {
        var silos = new[] { TestData.CpuSilo("cpu", slots: 2), TestData.GpuSilo("gpu", 24) };
        SlotLedger Ledger()
        {
            var ledger = new SlotLedger(new TrialPlacer(PlacementPolicy.Pack));
            ledger.Enqueue(Queued("big-gpu", priority: 5, resources: new TrialResources { Gpus = 1, GpuMemoryGiB = 80 }));
            ledger.Enqueue(Queued("gpu", priority: 4, resources: new TrialResources { Gpus = 1 }));
            for (var i = 0; i < 4; i++)
            {
                ledger.Enqueue(Queued($"cpu-{i}", order: i));
            }

            return ledger;
        }

        var full = Ledger().Place(silos, TestData.T0);
        var fast = Ledger().PlaceOnFreeSlots(silos, TestData.T0);

        Assert.Equal(["gpu", "cpu-0", "cpu-1"], full.Placed.Select(p => p.Allocation.TrialId));
        Assert.Equal(full.Placed.Select(p => (p.Allocation.TrialId, p.Allocation.SiloId, string.Join(',', p.Allocation.SlotIds))),
            fast.Select(p => (p.Allocation.TrialId, p.Allocation.SiloId, string.Join(',', p.Allocation.SlotIds))));
        Assert.Equal(["big-gpu", "cpu-2", "cpu-3"], full.Reasons.Keys.Order(StringComparer.Ordinal));
    }

    private static QueuedTrial Queued(string id, int priority = 0, int order = 0, int submittedSeconds = 0, int attempt = 1, TrialResources? resources = null) => new()
    {
        TrialId = id,
        Attempt = attempt,
        Definition = new TrialDefinition
        {
            SweepId = "sweep-1",
            MaxAttempts = 3,
            Priority = priority,
            OrderIndex = order,
            SubmittedAt = TestData.T0.AddSeconds(submittedSeconds),
            Resources = resources ?? TrialResources.Cpu,
        },
    };
}
