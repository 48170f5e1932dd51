using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The cluster's scheduler: a <see cref="SlotLedger"/> rebuilt from the trial rows at activation, fed by trial grains
/// (enqueue, release) and by membership (<see cref="IClusterSlots"/>), placing trials by sending each placed trial's
/// grain a placement with its silo as the placement hint.
/// </summary>
/// <remarks>
/// Placements are sent without awaiting the reply in the calling turn: the trial grain may be the caller (a trial that
/// fails and is retried at once), and it is not reentrant. A reply confirms the placement; a refusal frees the slots
/// and reloads the ledger from the rows; a grain that answers it is moving to the placement's silo gets it again at the next
/// tick; no reply leaves it to be sent again after <see cref="SchedulerOptions.ResendAfter"/>.
/// Placing twice is harmless: the trial grain accepts a repeat of the placement it took unchanged.
/// </remarks>
public sealed partial class SchedulerGrain(
    ITrialRecords records,
    IClusterSlots cluster,
    IOptions<SchedulerOptions> options,
    ILogger<SchedulerGrain> logger) : Grain, ISchedulerGrain
{
    private readonly SlotLedger _ledger = new(new TrialPlacer(options.Value.Policy));
    private readonly Dictionary<string, string> _reasons = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lostSent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _draining = new(StringComparer.Ordinal);
    private bool _reload = true;
    private bool _changed = true;
    private bool _reasonsDue;
    private DateTimeOffset _reasonsAt = DateTimeOffset.MinValue;

    /// <summary>How often a pulse works out the pending reasons (each silo's pump pulses once a second).</summary>
    private static readonly TimeSpan ReasonsInterval = TimeSpan.FromSeconds(1);
    private string _silosSeen = string.Empty;

    public Task EnqueueAsync(ImmutableArray<QueuedTrial> trials)
    {
        foreach (var trial in trials)
        {
            if (Schedules(trial.Definition.SweepId))
            {
                _ledger.Enqueue(trial);
                _changed = true;
            }
        }

        return PlaceAsync(withReasons: false);
    }

    public Task ReleaseAsync(string trialId, int attempt)
    {
        _changed |= _ledger.Release(trialId, attempt);
        _lostSent.Remove($"{trialId}#{attempt}");
        return PlaceAsync(withReasons: false);
    }

    public Task RemoveAsync(ImmutableArray<string> trialIds)
    {
        foreach (var id in trialIds)
        {
            _ledger.Remove(id);
            _reasons.Remove(id);
        }

        return Task.CompletedTask;
    }

    public async Task<SchedulerView> TickAsync()
    {
        await TickAsync(withReasons: true);
        return View();
    }

    public Task PulseAsync() => TickAsync(withReasons: Now() - _reasonsAt >= ReasonsInterval);

    private async Task TickAsync(bool withReasons)
    {
        await PlaceAsync(withReasons);
        foreach (var lost in _ledger.OnGoneSilos(cluster.IsGone))
        {
            // Once per attempt: the trial grain answers with a requeue (or gives up), which releases the slots.
            if (_lostSent.Add($"{lost.TrialId}#{lost.Attempt}"))
            {
                LogSiloLost(lost.TrialId, lost.Attempt, lost.SiloId);
                _ = SendSiloLostAsync(lost);
            }
        }

        var now = Now();
        foreach (var (allocation, trial) in _ledger.DueForResend(now, options.Value.ResendAfter))
        {
            Send(allocation, trial, now);
        }
    }

    public Task RefreshAsync()
    {
        _reload = true;
        return PlaceAsync(withReasons: true);
    }

    public Task DrainAsync(string siloId)
    {
        _changed |= _draining.Add(siloId);
        return Task.CompletedTask;
    }

    public async Task<SchedulerView> GetAsync()
    {
        if (_reload)
        {
            // A fresh activation answers from the rows, not from an empty ledger (nothing is placed here).
            await ReloadAsync();
        }

        return View();
    }

    /// <param name="withReasons">
    /// Also work out why every trial left in the queue waits, and store the reasons that changed. That looks at the whole
    /// queue, so the placements after an enqueue or a release (one per finished attempt) leave it to the next tick: a
    /// pending reason is at most a second behind, and a placement costs what it places, not the length of the queue.
    /// </param>
    private async Task PlaceAsync(bool withReasons)
    {
        if (_reload)
        {
            await ReloadAsync();
        }

        var silos = ActiveSilos();
        var seen = string.Join(';', silos.Select(s => s.Id).Order(StringComparer.Ordinal));
        var silosChanged = !string.Equals(seen, _silosSeen, StringComparison.Ordinal);
        if (!_changed && !silosChanged && !(withReasons && _reasonsDue))
        {
            // Nothing was queued or freed and no silo came or went since the last placement: it would place nothing.
            return;
        }

        _changed = false;
        _silosSeen = seen;
        var now = Now();
        if (!withReasons)
        {
            foreach (var (allocation, trial) in _ledger.PlaceOnFreeSlots(silos, now))
            {
                _reasons.Remove(trial.TrialId);
                Send(allocation, trial, now);
            }

            _reasonsDue = true;
            return;
        }

        _reasonsDue = false;
        _reasonsAt = now;
        var (placed, reasons) = _ledger.Place(silos, now);
        foreach (var (allocation, trial) in placed)
        {
            _reasons.Remove(trial.TrialId);
            Send(allocation, trial, now);
        }

        var changed = reasons
            .Where(r => !_reasons.TryGetValue(r.Key, out var old) || !string.Equals(old, r.Value, StringComparison.Ordinal))
            .ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal);
        if (changed.Count > 0)
        {
            await records.SetPendingReasonsAsync(changed, CancellationToken.None);
            foreach (var (id, reason) in changed)
            {
                _reasons[id] = reason;
            }
        }
    }

    private async Task ReloadAsync()
    {
        var snapshot = await records.LoadSchedulerSnapshotAsync(options.Value.OnlySweepIds, CancellationToken.None);
        _ledger.Load(snapshot);
        // What the rows say already: only reasons that differ from it are written.
        _reasons.Clear();
        foreach (var (id, reason) in snapshot.PendingReasons)
        {
            _reasons[id] = reason;
        }

        _reload = false;
        _changed = true;
    }

    private void Send(SlotAllocation allocation, QueuedTrial trial, DateTimeOffset now)
    {
        _ledger.Sent(allocation.TrialId, now);
        _ = SendPlacementAsync(allocation, trial);
    }

    private async Task SendPlacementAsync(SlotAllocation allocation, QueuedTrial trial)
    {
        try
        {
            if (TryParseSilo(allocation.SiloId) is { } silo)
            {
                // The trial grain activates on the silo whose slots it was given (PreferLocalPlacement honours the hint).
                RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
            }

            var reply = await GrainFactory.GetGrain<ITrialGrain>(allocation.TrialId).PlaceAsync(new AttemptPlacement
            {
                SiloId = allocation.SiloId,
                Attempt = allocation.Attempt,
                SlotIds = allocation.SlotIds,
                Definition = trial.Definition,
            });
            if (reply.Accepted)
            {
                _ledger.Confirm(allocation.TrialId, allocation.Attempt);
            }
            else if (string.Equals(reply.Refusal, TrialReply.Relocating, StringComparison.Ordinal))
            {
                // It migrates once this call is done: the next tick (a second at most) sends the placement again,
                // not the resend timeout.
                _ledger.ResendNext(allocation.TrialId);
            }
            else if (!string.Equals(reply.Refusal, TrialReply.Relocating, StringComparison.Ordinal))
            {
                LogPlacementRefused(allocation.TrialId, allocation.Attempt, reply.Message);
                if (_ledger.Drop(allocation.TrialId, allocation.Attempt))
                {
                    // The trial is not where the ledger thought: read the queue and the ledger from the rows again. (A
                    // refusal of a placement the ledger no longer holds, released or replaced meanwhile, says nothing.)
                    _reload = true;
                    _changed = true;
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogPlacementFailed(exception, allocation.TrialId, allocation.Attempt);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    private async Task SendSiloLostAsync(SlotAllocation lost)
    {
        try
        {
            await GrainFactory.GetGrain<ITrialGrain>(lost.TrialId).SiloLostAsync(lost.SiloId);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _lostSent.Remove($"{lost.TrialId}#{lost.Attempt}");
            LogPlacementFailed(exception, lost.TrialId, lost.Attempt);
        }
    }

    private IReadOnlyList<SiloInfo> ActiveSilos()
    {
        var active = cluster.ActiveSilos();
        if (_draining.Count > 0)
        {
            // A silo that left is never active again (a restart is a new silo address): forget it.
            _draining.IntersectWith(active.Select(s => s.Id));
        }

        return _draining.Count == 0 ? active : [.. active.Where(s => !_draining.Contains(s.Id))];
    }

    private bool Schedules(string sweepId) => options.Value.OnlySweepIds is not { } only || only.Contains(sweepId);

    private SchedulerView View() => new()
    {
        Queued = [.. _ledger.Queue.Select(q => q.TrialId).Order(StringComparer.Ordinal)],
        Allocations = [.. _ledger.Allocations.OrderBy(a => a.TrialId, StringComparer.Ordinal)],
        PendingReasons = _reasons.ToImmutableDictionary(StringComparer.Ordinal),
        Silos = ActiveSilos().ToImmutableDictionary(s => s.Id, s => s.Slots.Count, StringComparer.Ordinal),
    };

    private static SiloAddress? TryParseSilo(string siloId)
    {
        try
        {
            return siloId.Contains('@', StringComparison.Ordinal) ? SiloAddress.FromParsableString(siloId) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private DateTimeOffset Now() => (ServiceProvider.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System).GetUtcNow();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} attempt {Attempt}: its silo {SiloId} is gone; the trial is told")]
    private partial void LogSiloLost(string trialId, int attempt, string siloId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} refused placement as attempt {Attempt}: {Message}")]
    private partial void LogPlacementRefused(string trialId, int attempt, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} attempt {Attempt}: a call to its grain failed; it is sent again")]
    private partial void LogPlacementFailed(Exception exception, string trialId, int attempt);
}
