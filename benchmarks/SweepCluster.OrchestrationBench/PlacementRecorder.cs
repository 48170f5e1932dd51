using System.Collections.Concurrent;
using System.Diagnostics;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// When each trial was queued, when each slot fell free and when each attempt started (the no-op launcher starting its
/// "process"), so placement latency can be read per attempt. Thread safe.
/// </summary>
/// <remarks>
/// <para><b>Placement latency</b> of an attempt = its start minus the moment it could have started: the later of its
/// trial's queueing (the submit request that carried it was sent) and its slot falling free (the slot's previous attempt
/// exited; for a slot's first attempt, the moment the scheduler saw every slot). An attempt whose slot was free before
/// its trial was queued is <b>queue-bound</b> (the first wave after a submit: its latency includes storing the
/// submission); the others are <b>slot-bound</b>: the time from one attempt's exit to the next start on the same slot
/// (completion report, slot release, placement and launch, everything the orchestration puts between two trials).</para>
/// <para><b>Queue to start</b> = start minus queueing, as a user sees it: with more trials than slots, mostly waiting
/// behind other trials.</para>
/// </remarks>
internal sealed class PlacementRecorder
{
    private readonly ConcurrentDictionary<string, long> _queuedAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _slotFreeAt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Sample> _samples = new();
    private long _slotsReadyAt = Stopwatch.GetTimestamp();

    /// <param name="StartedAt">A <see cref="Stopwatch"/> timestamp.</param>
    /// <param name="SlotBound">Whether the trial was queued before its slot fell free (it waited for the slot).</param>
    public readonly record struct Sample(long StartedAt, double PlacementMs, double QueueToStartMs, bool SlotBound);

    public static long Now => Stopwatch.GetTimestamp();

    public void Queued(IEnumerable<string> trialIds)
    {
        var now = Now;
        foreach (var id in trialIds)
        {
            _queuedAt.TryAdd(id, now);
        }
    }

    /// <summary>The scheduler sees every slot: a slot's first attempt could start from here.</summary>
    public void SlotsReady() => Volatile.Write(ref _slotsReadyAt, Now);

    public void Started(string slot, string trialId)
    {
        var now = Now;
        var queued = _queuedAt.TryGetValue(trialId, out var q) ? q : now;
        var free = _slotFreeAt.TryGetValue(slot, out var f) ? f : Volatile.Read(ref _slotsReadyAt);
        var ready = Math.Max(queued, free);
        _samples.Enqueue(new Sample(now, Stopwatch.GetElapsedTime(ready, now).TotalMilliseconds, Stopwatch.GetElapsedTime(queued, now).TotalMilliseconds, free > queued));
    }

    public void Exited(string slot) => _slotFreeAt[slot] = Now;

    /// <summary>Attempts started at or after <paramref name="from"/> and before <paramref name="to"/> (timestamps).</summary>
    public IReadOnlyList<Sample> Between(long from, long to) => [.. _samples.Where(s => s.StartedAt >= from && s.StartedAt < to)];
}
