using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SweepCluster.Cluster.EarlyStopping;
using SweepCluster.Telemetry;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The coordinator grain of one sweep (see <see cref="ISweepGrain"/>): validates and stores submissions, hands new
/// trials to the scheduler, cancels, and decides early stopping.
/// </summary>
/// <remarks>
/// Early stopping: the judge (<see cref="StoppingJudge"/>, pure) is rebuilt at activation by replaying the stored log
/// (<see cref="SweepStoppingState"/>) over the sweep's current members. Each new event is appended and stored before the
/// reply, so a decision a trial grain acts on is durable; a trial grain that asks again (its call failed with the
/// coordinator) gets the same decision, and the trial is pruned once. The other seeds of a pruned configuration are
/// told without waiting (a trial grain may be waiting on this grain); should that message be lost, they are told again
/// at the next activation and get the decision at their next report.
/// </remarks>
public sealed partial class SweepGrain(
    ITrialRecords records,
    [PersistentState(SweepGrain.StoppingStateName, TrialGrain.StorageName)] IPersistentState<SweepStoppingState> stopping,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    /// <summary>The name of the early-stopping log in the grain storage the trial grains use.</summary>
    public const string StoppingStateName = "stopping";

    private readonly SemaphoreSlim _judging = new(1, 1);
    private StoppingJudge? _judge;
    private bool _judgeLoaded;
    private HashSet<(StoppingEventKind, string, int)> _applied = [];

    private string SweepId => this.GetPrimaryKeyString();

    public async Task<SweepReply> SubmitAsync(NewSweep sweep, ImmutableArray<NewTrial> trials)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        if (!string.Equals(sweep.Id, SweepId, StringComparison.Ordinal))
        {
            return Refused(Refusal.Invalid($"Sweep {sweep.Id} was sent to the grain of sweep {SweepId}."));
        }

        if (SweepValidation.Validate(sweep, trials) is { } invalid)
        {
            return Refused(invalid);
        }

        var result = await records.SubmitSweepAsync(sweep, trials, CancellationToken.None);
        if (result.TrialsRemoved > 0)
        {
            foreach (var trialId in await records.ListRemovedWithAttemptsAsync(SweepId, CancellationToken.None))
            {
                // Removed from the sweep in this revision: a running attempt stops (a finished trial refuses, unchanged).
                await GrainFactory.GetGrain<ITrialGrain>(trialId).CancelAsync();
            }
        }

        // A revision may add members or change the rule: the judge is rebuilt from the log at its next use, and configurations
        // it pruned are told again (a trial brought back by the revision is pruned before it is placed).
        await _judging.WaitAsync();
        try
        {
            _judgeLoaded = false;
            await EnsureJudgeAsync();
        }
        finally
        {
            _judging.Release();
        }

        // The scheduler reads its queue from the rows: whatever this submission added (or brought back) is taken.
        await Scheduler.RefreshAsync();
        LogSubmitted(SweepId, result.TrialsAdded, result.TrialsKept);
        return new SweepReply { Accepted = true, Message = result.Describe(), Submitted = result };
    }

    public async Task<SweepReply> CancelAsync()
    {
        var cancelled = await records.CancelSweepAsync(SweepId, CancellationToken.None);
        if (!cancelled.IsAccepted)
        {
            return Refused(cancelled.Refusal);
        }

        // First out of the queue: a slot freed by a cancelled attempt must not go to another cancelled trial.
        await Scheduler.RefreshAsync();
        foreach (var trialId in cancelled.Value)
        {
            // The trial grain is the authority: it stops a running attempt and frees its slots.
            await GrainFactory.GetGrain<ITrialGrain>(trialId).CancelAsync();
        }

        await Scheduler.RefreshAsync();
        return new SweepReply { Accepted = true, Message = $"{cancelled.Value.Count} trial(s) with attempts cancelled", Cancelled = cancelled.Value.Count };
    }

    public async Task<string?> GetStoppingMetricAsync(string trialId)
    {
        await _judging.WaitAsync();
        try
        {
            var judge = await EnsureJudgeAsync();
            return judge is not null && judge.IsMember(trialId) ? judge.Policy.Metric : null;
        }
        finally
        {
            _judging.Release();
        }
    }

    public async Task<StoppingDecision?> JudgeAsync(string trialId, int epoch, double value)
    {
        await _judging.WaitAsync();
        try
        {
            var judge = await EnsureJudgeAsync();
            if (judge is null || !judge.IsMember(trialId))
            {
                return null;
            }

            await ApplyAsync(judge, StoppingEvent.Reported(trialId, epoch, value), trialId);
            return judge.PruneOf(trialId);
        }
        finally
        {
            _judging.Release();
        }
    }

    public async Task TrialEndedAsync(string trialId, bool succeeded)
    {
        await _judging.WaitAsync();
        try
        {
            if (await EnsureJudgeAsync() is { } judge && judge.IsMember(trialId))
            {
                await ApplyAsync(judge, succeeded ? StoppingEvent.Completed(trialId) : StoppingEvent.Withdrawn(trialId), caller: null);
            }
        }
        finally
        {
            _judging.Release();
        }
    }

    /// <summary>Appends a new event to the log, stores it, and acts on the decisions it led to.</summary>
    private async Task ApplyAsync(StoppingJudge judge, StoppingEvent e, string? caller)
    {
        if (!_applied.Add((e.Kind, e.TrialId, e.Epoch)))
        {
            // A repeat (a retried report, or an attempt resumed before its last checkpointed epoch): the first value counts.
            return;
        }

        var decisions = judge.Observe(e);
        var before = stopping.State;
        stopping.State = before with { Events = before.Events.Add(e) };
        try
        {
            await stopping.WriteStateAsync();
        }
        catch
        {
            // Not stored, so not decided: the judge is replayed from the stored log at the next call, which the caller retries.
            stopping.State = before;
            _judgeLoaded = false;
            DeactivateOnIdle();
            throw;
        }

        foreach (var decision in decisions)
        {
            var rule = decision.Rule.ToString().ToLowerInvariant();
            SweepClusterTelemetry.RecordEarlyStoppingDecision(SweepId, rule, decision.Pruned ? "pruned" : "continued");
            if (decision.Pruned)
            {
                LogPruned(SweepId, decision.ConfigKey, decision.Reason);
                TellSiblings(decision, caller);
            }
        }
    }

    /// <summary>The judge for the current members, replayed from the log; null when the sweep has no early stopping.</summary>
    private async Task<StoppingJudge?> EnsureJudgeAsync()
    {
        if (_judgeLoaded)
        {
            return _judge;
        }

        var (policy, members) = await records.GetStoppingAsync(SweepId, CancellationToken.None);
        _judge = null;
        _applied = [];
        if (policy is not null)
        {
            var (judge, decisions) = StoppingJudge.Replay(policy, members, stopping.State.Events);
            _judge = judge;
            _applied = [.. stopping.State.Events.Select(e => (e.Kind, e.TrialId, e.Epoch))];
            foreach (var pruned in decisions.Where(d => d.Pruned))
            {
                // Decided before, perhaps never acted on (the coordinator stopped first): pruning again changes nothing.
                TellSiblings(pruned, caller: null);
            }
        }

        _judgeLoaded = true;
        return _judge;
    }

    private void TellSiblings(StoppingDecision decision, string? caller)
    {
        foreach (var trialId in decision.TrialIds)
        {
            if (!string.Equals(trialId, caller, StringComparison.Ordinal))
            {
                // Not awaited: that trial grain may be waiting on this grain right now.
                GrainFactory.GetGrain<ITrialGrain>(trialId).PruneAsync(decision.Reason, decision.Epoch).Ignore();
            }
        }
    }

    private ISchedulerGrain Scheduler => GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster);

    private static SweepReply Refused(Refusal refusal) => new() { Accepted = false, Refusal = refusal.Kind.ToString(), Message = refusal.Message };

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: {Added} trial(s) added, {Kept} kept")]
    private partial void LogSubmitted(string sweepId, int added, int kept);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: configuration {ConfigKey} {Reason}")]
    private partial void LogPruned(string sweepId, string configKey, string reason);
}
