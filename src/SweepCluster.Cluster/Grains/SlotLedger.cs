using System.Collections.Immutable;
using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The scheduler's queue and slot ledger, pure: events in (enqueue, release, remove, confirm), placements out. No I/O,
/// no clock, no Orleans runtime, so a whole sweep's scheduling can be replayed in a unit test.
/// </summary>
/// <remarks>Not thread safe: the scheduler grain handles one call at a time.</remarks>
public sealed class SlotLedger(TrialPlacer placer)
{
    private readonly Dictionary<string, QueuedTrial> _queue = new(StringComparer.Ordinal);
    // The same trials as _queue, kept in queue order, so a placement need not sort the queue.
    private readonly SortedSet<QueuedTrial> _ordered = new(QueueOrder.Instance);
    private readonly Dictionary<string, SlotAllocation> _allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _sentAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QueuedTrial> _unconfirmed = new(StringComparer.Ordinal);

    public IReadOnlyCollection<QueuedTrial> Queue => _queue.Values;

    public IReadOnlyCollection<SlotAllocation> Allocations => _allocations.Values;

    /// <summary>Replaces everything with what the trial rows say.</summary>
    public void Load(SchedulerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _queue.Clear();
        _ordered.Clear();
        _allocations.Clear();
        _sentAt.Clear();
        _unconfirmed.Clear();
        foreach (var live in snapshot.Live)
        {
            // Loaded from the trial rows: the trial grain already accepted these placements.
            _allocations[live.TrialId] = live with { Confirmed = true };
        }

        foreach (var trial in snapshot.Pending)
        {
            Enqueue(trial);
        }
    }

    /// <summary>Queues the trial for its next attempt; the slots of an earlier attempt are free again.</summary>
    public void Enqueue(QueuedTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (_allocations.TryGetValue(trial.TrialId, out var held) && held.Attempt >= trial.Attempt)
        {
            // A late requeue of an attempt that was already placed again.
            return;
        }

        _allocations.Remove(trial.TrialId);
        _sentAt.Remove(trial.TrialId);
        _unconfirmed.Remove(trial.TrialId);
        if (!_queue.TryGetValue(trial.TrialId, out var queued))
        {
            _queue[trial.TrialId] = trial;
            _ordered.Add(trial);
        }
        else if (queued.Attempt <= trial.Attempt)
        {
            _ordered.Remove(queued);
            _queue[trial.TrialId] = trial;
            _ordered.Add(trial);
        }
    }

    /// <summary>The attempt's slots are free; false when it held none (already released, or another attempt holds them).</summary>
    public bool Release(string trialId, int attempt)
    {
        if (_queue.TryGetValue(trialId, out var queued) && queued.Attempt <= attempt)
        {
            Dequeue(queued);
        }

        if (_allocations.TryGetValue(trialId, out var held) && held.Attempt == attempt)
        {
            _allocations.Remove(trialId);
            _sentAt.Remove(trialId);
            _unconfirmed.Remove(trialId);
            return true;
        }

        return false;
    }

    public void Remove(string trialId)
    {
        if (_queue.TryGetValue(trialId, out var queued))
        {
            Dequeue(queued);
        }
    }

    /// <summary>The trial grain accepted the placement.</summary>
    public void Confirm(string trialId, int attempt)
    {
        if (_allocations.TryGetValue(trialId, out var held) && held.Attempt == attempt)
        {
            _allocations[trialId] = held with { Confirmed = true };
            _sentAt.Remove(trialId);
            _unconfirmed.Remove(trialId);
        }
    }

    /// <summary>
    /// The trial grain refused the placement (it is not pending as this ledger thought): the slots are free again and
    /// the trial leaves the queue until its grain says otherwise.
    /// </summary>
    /// <returns>Whether the ledger held that unconfirmed placement (false: it was confirmed, released or replaced meanwhile).</returns>
    public bool Drop(string trialId, int attempt)
    {
        if (_allocations.TryGetValue(trialId, out var held) && held.Attempt == attempt && !held.Confirmed)
        {
            _allocations.Remove(trialId);
            _sentAt.Remove(trialId);
            _unconfirmed.Remove(trialId);
            return true;
        }

        return false;
    }

    /// <summary>Records that a placement was sent now, so <see cref="DueForResend"/> waits before sending it again.</summary>
    public void Sent(string trialId, DateTimeOffset now) => _sentAt[trialId] = now;

    /// <summary>
    /// Forgets when an unconfirmed placement was sent, so the next <see cref="DueForResend"/> returns it: the trial grain
    /// answered that it is moving to the placement's silo, and the next send reaches it there.
    /// </summary>
    public void ResendNext(string trialId) => _sentAt.Remove(trialId);

    /// <summary>Unconfirmed placements sent longer than <paramref name="after"/> ago (or never).</summary>
    public IReadOnlyList<(SlotAllocation Allocation, QueuedTrial Trial)> DueForResend(DateTimeOffset now, TimeSpan after) =>
        [.. _allocations.Values
            .Where(a => !a.Confirmed && _unconfirmed.ContainsKey(a.TrialId) && (!_sentAt.TryGetValue(a.TrialId, out var sent) || now - sent >= after))
            .Select(a => (a, _unconfirmed[a.TrialId]))];

    /// <summary>Allocations on silos that are gone: their attempts are lost.</summary>
    public IReadOnlyList<SlotAllocation> OnGoneSilos(Func<string, bool> isGone) =>
        [.. _allocations.Values.Where(a => isGone(a.SiloId))];

    /// <summary>
    /// Places queued trials on the free slots of <paramref name="silos"/>: each placed trial leaves the queue and holds
    /// its slots (unconfirmed until its grain accepts). Returns the new allocations and why every other trial waits.
    /// </summary>
    public (IReadOnlyList<(SlotAllocation Allocation, QueuedTrial Trial)> Placed, IReadOnlyDictionary<string, string> Reasons) Place(IReadOnlyList<SiloInfo> silos, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silos);
        if (_queue.Count == 0)
        {
            return ([], ImmutableDictionary<string, string>.Empty);
        }

        var plan = Plan(silos, withReasons: true);
        return (Allocate(plan, now), plan.PendingReasons);
    }

    /// <summary>
    /// <see cref="Place"/> without the pending reasons: the same placements, at a cost that grows with what is placed
    /// rather than with the queue (for the placement after a slot fell free, which places one trial of a long queue).
    /// </summary>
    public IReadOnlyList<(SlotAllocation Allocation, QueuedTrial Trial)> PlaceOnFreeSlots(IReadOnlyList<SiloInfo> silos, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(silos);
        return _queue.Count == 0 ? [] : Allocate(Plan(silos, withReasons: false), now);
    }

    private PlacementPlan Plan(IReadOnlyList<SiloInfo> silos, bool withReasons)
    {
        var all = silos.SelectMany(PlacementSlot.Of).ToList();
        var held = _allocations.Values
            .SelectMany(a => a.SlotIds.Select(slot => (a.SiloId, slot)))
            .ToHashSet();
        var free = all.Where(s => !held.Contains((s.SiloId, s.SlotId))).ToList();
        return placer.PlaceInQueueOrder(_ordered.Select(q => q.ToPending()), free, all, withReasons);
    }

    private List<(SlotAllocation, QueuedTrial)> Allocate(PlacementPlan plan, DateTimeOffset now)
    {
        var placed = new List<(SlotAllocation, QueuedTrial)>();
        foreach (var assignment in plan.Assignments)
        {
            var trial = _queue[assignment.TrialId];
            Dequeue(trial);
            var allocation = new SlotAllocation
            {
                TrialId = trial.TrialId,
                SweepId = trial.Definition.SweepId,
                Attempt = trial.Attempt,
                SiloId = assignment.SiloId,
                SlotIds = [.. assignment.Slots.Select(s => s.SlotId)],
                PlacedAt = now,
            };
            _allocations[trial.TrialId] = allocation;
            _unconfirmed[trial.TrialId] = trial;
            placed.Add((allocation, trial));
        }

        return placed;
    }

    private void Dequeue(QueuedTrial trial)
    {
        _queue.Remove(trial.TrialId);
        _ordered.Remove(trial);
    }

    /// <summary><see cref="TrialPlacer.InQueueOrder"/> as a comparer; trial ids are unique, so no two queued trials compare equal.</summary>
    private sealed class QueueOrder : IComparer<QueuedTrial>
    {
        public static QueueOrder Instance { get; } = new();

        public int Compare(QueuedTrial? x, QueuedTrial? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            var order = y.Definition.Priority.CompareTo(x.Definition.Priority);
            if (order == 0)
            {
                order = x.Definition.SubmittedAt.CompareTo(y.Definition.SubmittedAt);
            }

            if (order == 0)
            {
                order = x.Definition.OrderIndex.CompareTo(y.Definition.OrderIndex);
            }

            return order != 0 ? order : string.CompareOrdinal(x.TrialId, y.TrialId);
        }
    }
}
