using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class TrialPlacerTests
{
    private static readonly TrialPlacer Pack = new(PlacementPolicy.Pack);
    private static readonly TrialPlacer Spread = new(PlacementPolicy.Spread);

    [Fact]
    public void Higher_priority_goes_first_then_first_submitted_then_sweep_order()
    {
        var slots = Slots(TestData.CpuSilo("a", slots: 3));
        var pending = new[]
        {
            Pending("late-low", submittedSeconds: 5),
            Pending("early-low-second", order: 1),
            Pending("early-low-first", order: 0),
            Pending("late-high", priority: 10, submittedSeconds: 9),
        };

        var plan = Pack.Place(pending, slots, slots);

        Assert.Equal(["late-high", "early-low-first", "early-low-second"], plan.Assignments.Select(a => a.TrialId));
        Assert.Equal("waiting for a free slot", plan.PendingReasons["late-low"]);
    }

    [Fact]
    public void Waiting_reasons_do_not_change_as_the_queue_moves()
    {
        // A reason that counted the trials ahead would differ after every claim and rewrite every waiting row.
        var slots = Slots(TestData.CpuSilo("a", slots: 1));
        var pending = Enumerable.Range(0, 5).Select(i => Pending($"t{i}", order: i)).ToList();

        var first = Pack.Place(pending, slots, slots);
        var second = Pack.Place(pending.Skip(1).ToList(), slots, slots);

        Assert.Equal("t0", Assert.Single(first.Assignments).TrialId);
        Assert.Equal("t1", Assert.Single(second.Assignments).TrialId);
        Assert.Equal(4, first.PendingReasons.Count);
        Assert.All(new[] { "t2", "t3", "t4" }, id => Assert.Equal(first.PendingReasons[id], second.PendingReasons[id]));
        Assert.Equal("waiting for a free slot", first.PendingReasons["t4"]);
    }

    [Fact]
    public void No_silo_at_all_is_named_as_the_reason()
    {
        var plan = Pack.Place([Pending("t")], [], []);

        Assert.Empty(plan.Assignments);
        Assert.Equal("waiting for a trainer silo to join the cluster", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Multi_gpu_trial_takes_several_slots_of_one_silo()
    {
        var slots = Slots(TestData.GpuSilo("small", 80), TestData.GpuSilo("big", 80, 80, 80));

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(2))], slots, slots);

        var assignment = Assert.Single(plan.Assignments);
        Assert.Equal("big", assignment.SiloId);
        Assert.Equal(2, assignment.Slots.Count);
        Assert.All(assignment.Slots, s => Assert.Equal("big", s.SiloId));
        Assert.Equal(2, assignment.Slots.Select(s => s.GpuIndex).Distinct().Count());
    }

    [Fact]
    public void Multi_gpu_trial_is_never_split_across_silos()
    {
        var cluster = Slots(TestData.GpuSilo("a", 80, 80), TestData.GpuSilo("b", 80, 80));
        var free = cluster.Where(s => s.SlotId == "gpu0").ToList();

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(2))], free, cluster);

        Assert.Empty(plan.Assignments);
        Assert.Equal("needs 2 GPUs on one silo; at most 1 free on any silo", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Trial_needing_more_gpus_than_any_silo_has_says_so()
    {
        var slots = Slots(TestData.GpuSilo("a", 24), TestData.GpuSilo("b", 24));

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(2))], slots, slots);

        Assert.Equal("needs 2 GPUs but the largest silo has 1", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Gpu_trial_on_a_cpu_only_cluster_says_no_silo_has_a_gpu()
    {
        var slots = Slots(TestData.CpuSilo("a"));

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu())], slots, slots);

        Assert.Equal("needs 1 GPU but no silo has a GPU", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Missing_label_is_named_as_the_reason()
    {
        var slots = Slots(TestData.CpuSilo("a", labels: TestData.Labels(("zone", "b"))));
        var request = new ResourceRequest(0, 0, TestData.Labels(("zone", "a")));

        var plan = Pack.Place([Pending("t", request)], slots, slots);

        Assert.Equal("needs label zone=a: no silo has it", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Labels_that_exist_only_on_different_silos_are_named_together()
    {
        var slots = Slots(
            TestData.CpuSilo("a", labels: TestData.Labels(("zone", "a"))),
            TestData.CpuSilo("b", labels: TestData.Labels(("disk", "ssd"))));
        var request = new ResourceRequest(0, 0, TestData.Labels(("zone", "a"), ("disk", "ssd")));

        var plan = Pack.Place([Pending("t", request)], slots, slots);

        Assert.Equal("needs labels disk=ssd, zone=a: no single silo has them all", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Labelled_trial_goes_only_to_a_silo_with_the_label()
    {
        var slots = Slots(
            TestData.CpuSilo("a", slots: 4),
            TestData.CpuSilo("z", slots: 1, labels: TestData.Labels(("zone", "a"))));
        var request = new ResourceRequest(0, 0, TestData.Labels(("zone", "a")));

        var plan = Pack.Place([Pending("t", request)], slots, slots);

        Assert.Equal("z", Assert.Single(plan.Assignments).SiloId);
    }

    [Fact]
    public void Gpu_memory_larger_than_any_gpu_is_named_as_the_reason()
    {
        var slots = Slots(TestData.GpuSilo("a", 24, 16));

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(1, 40))], slots, slots);

        Assert.Equal("needs 40 GiB GPU memory; the largest GPU has 24 GiB", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Gpu_memory_larger_than_any_free_gpu_names_the_largest_free()
    {
        var cluster = Slots(TestData.GpuSilo("a", 80, 24));
        var free = cluster.Where(s => s.GpuMemoryGiB == 24).ToList();

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(1, 40))], free, cluster);

        Assert.Empty(plan.Assignments);
        Assert.Equal("needs 40 GiB GPU memory; largest free is 24 GiB", plan.PendingReasons["t"]);
    }

    [Fact]
    public void Gpu_trial_takes_the_smallest_gpu_that_is_large_enough()
    {
        var slots = Slots(TestData.GpuSilo("a", 80, 24, 40));

        var plan = Pack.Place([Pending("t", ResourceRequest.Gpu(1, 30))], slots, slots);

        Assert.Equal(40, Assert.Single(Assert.Single(plan.Assignments).Slots).GpuMemoryGiB);
    }

    [Fact]
    public void Trial_that_does_not_fit_now_does_not_block_smaller_trials_behind_it()
    {
        var cluster = Slots(TestData.GpuSilo("a", 80, 80));
        var free = cluster.Take(1).ToList();
        var pending = new[] { Pending("big", ResourceRequest.Gpu(2), order: 0), Pending("small", ResourceRequest.Gpu(1), order: 1) };

        var plan = Pack.Place(pending, free, cluster);

        Assert.Equal("small", Assert.Single(plan.Assignments).TrialId);
        Assert.Equal("needs 2 GPUs on one silo; at most 1 free on any silo", plan.PendingReasons["big"]);
    }

    [Fact]
    public void Cpu_trial_prefers_a_cpu_slot_over_a_gpu()
    {
        var gpuSilo = TestData.GpuSilo("mixed", 80);
        var mixed = gpuSilo with { Slots = [.. gpuSilo.Slots, new SlotInfo("cpu0", null, null, 0)] };
        var slots = Slots(mixed);

        var plan = Pack.Place([Pending("t")], slots, slots);

        Assert.Equal("cpu0", Assert.Single(Assert.Single(plan.Assignments).Slots).SlotId);
    }

    [Fact]
    public void Pack_fills_the_silo_with_the_fewest_free_slots_first()
    {
        var slots = Slots(TestData.CpuSilo("roomy", slots: 4), TestData.CpuSilo("tight", slots: 2));

        var plan = Pack.Place([Pending("t1", order: 0), Pending("t2", order: 1)], slots, slots);

        Assert.Equal(["tight", "tight"], plan.Assignments.Select(a => a.SiloId));
    }

    [Fact]
    public void Spread_places_on_the_silo_with_the_most_free_slots()
    {
        var slots = Slots(TestData.CpuSilo("a", slots: 2), TestData.CpuSilo("b", slots: 2));

        var plan = Spread.Place([Pending("t1", order: 0), Pending("t2", order: 1)], slots, slots);

        Assert.Equal(["a", "b"], plan.Assignments.Select(a => a.SiloId));
    }

    [Fact]
    public void No_slot_is_handed_out_twice()
    {
        var slots = Slots(TestData.GpuSilo("a", 80, 80, 80));
        var pending = new[] { Pending("two", ResourceRequest.Gpu(2), order: 0), Pending("one", ResourceRequest.Gpu(1), order: 1), Pending("more", ResourceRequest.Gpu(1), order: 2) };

        var plan = Pack.Place(pending, slots, slots);

        var used = plan.Assignments.SelectMany(a => a.Slots).Select(s => s.SlotId).ToList();
        Assert.Equal(3, used.Count);
        Assert.Equal(used.Count, used.Distinct().Count());
        Assert.Equal("waiting for a free slot", plan.PendingReasons["more"]);
    }

    [Fact]
    public void Placement_without_reasons_places_the_same_trials_and_looks_no_further_than_the_free_slots()
    {
        var slots = Slots(TestData.CpuSilo("cpu", slots: 2), TestData.GpuSilo("gpu", 24));
        var pending = TrialPlacer.InQueueOrder(
        [
            Pending("big-gpu", ResourceRequest.Gpu(1, memoryGiB: 80), priority: 5),
            Pending("gpu", ResourceRequest.Gpu(1), priority: 4),
            Pending("cpu-1", order: 1),
            Pending("cpu-2", order: 2),
            Pending("cpu-3", order: 3),
            Pending("cpu-4", order: 4),
        ]);
        var seen = new List<string>();

        var full = Pack.PlaceInQueueOrder(pending, slots, slots, withReasons: true);
        var fast = Pack.PlaceInQueueOrder(pending.Select(p => { seen.Add(p.TrialId); return p; }), slots, slots, withReasons: false);

        Assert.Equal(["gpu", "cpu-1", "cpu-2"], full.Assignments.Select(a => a.TrialId));
        Assert.Equal(
            full.Assignments.Select(a => (a.TrialId, a.SiloId, string.Join(',', a.Slots.Select(s => s.SlotId)))),
            fast.Assignments.Select(a => (a.TrialId, a.SiloId, string.Join(',', a.Slots.Select(s => s.SlotId)))));
        Assert.Empty(fast.PendingReasons);
        Assert.Equal(["big-gpu", "gpu", "cpu-1", "cpu-2"], seen);
        Assert.Equal(
            ["needs 80 GiB GPU memory; the largest GPU has 24 GiB", "waiting for a free slot", "waiting for a free slot"],
            new[] { "big-gpu", "cpu-3", "cpu-4" }.Select(id => full.PendingReasons[id]));
    }

    private static List<PlacementSlot> Slots(params SiloInfo[] silos) => [.. silos.SelectMany(PlacementSlot.Of)];

    private static PendingTrial Pending(string id, ResourceRequest? resources = null, int priority = 0, int order = 0, int submittedSeconds = 0) =>
        new(id, resources ?? ResourceRequest.Cpu, priority, TestData.T0.AddSeconds(submittedSeconds), order);
}
