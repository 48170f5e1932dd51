using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Placement;
using SweepCluster.Cluster.EarlyStopping;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The grain of one trial: hands each event to <see cref="TrialMachine"/>, stores the state it returns through
/// <see cref="IPersistentState{TState}"/>, projects it onto the trial rows (<see cref="ITrialRecords"/>) and hands the
/// decisions to the registered <see cref="ITrialDecisionSink"/>s.
/// </summary>
/// <remarks>
/// <para>
/// A refused or unchanged step writes nothing. A changed step is written before any decision is acted on, so a
/// runner never starts an attempt the store does not know. The storage's ETag guards the write: should two
/// activations of one trial ever exist (a split cluster), the stale one's write fails with
/// <c>InconsistentStateException</c>, Orleans deactivates it, and its caller sees the call fail.
/// </para>
/// <para>
/// The grain lives where its attempt runs: the scheduler activates it with the chosen silo as the placement hint
/// (<see cref="PreferLocalPlacementAttribute"/> honours it), and an activation elsewhere refuses the placement and
/// deactivates so the next one lands there. No method waits for training: starting and stopping attempts are
/// decisions the sinks enqueue.
/// </para>
/// </remarks>
[Orleans.Placement.PreferLocalPlacement]
public sealed partial class TrialGrain(
    [PersistentState(TrialGrain.StateName, TrialGrain.StorageName)] IPersistentState<TrialGrainState> state,
    IEnumerable<ITrialDecisionSink> sinks,
    ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    /// <summary>The grain storage provider trial grains use; each host registers one under this name.</summary>
    public const string StorageName = "trials";

    /// <summary>The state's name within that storage.</summary>
    public const string StateName = "trial";

    private readonly ITrialDecisionSink[] _sinks = [.. sinks];
    private ITrialRecords? _records;
    private TrialGrainOptions _options = new();
    private bool _projectionBehind;
    private bool _stoppingKnown;
    private string? _stoppingMetric;

    private string TrialId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _records = ServiceProvider.GetService<ITrialRecords>();
        _options = ServiceProvider.GetService<IOptions<TrialGrainOptions>>()?.Value ?? new TrialGrainOptions();
        if (_records is not null && state.State.IsCreated)
        {
            // The rows follow the state; a process that died between the two writes left them behind.
            await _records.ProjectAsync(state.State, "trial.activated", $"trial {TrialId} active on {LocalSiloId}", cancellationToken);
        }
    }

    public Task<TrialReply> CreateAsync(TrialDefinition definition) =>
        ApplyAsync(TrialMachine.Create(state.State, TrialId, definition, Now()));

    public async Task<TrialReply> PlaceAsync(AttemptPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (_options.RunOnPlacedSilo && !string.Equals(placement.SiloId, LocalSiloId, StringComparison.Ordinal))
        {
            // Activated elsewhere (a status call, a silo-lost notice): move, and let the scheduler send it again. A plain
            // deactivation is not enough: callers keep this silo in their directory cache, and a message that arrives
            // for a grain with no activation here activates it here again, without asking placement. Migration places
            // the activation on the named silo (the hint) and updates the directory and this silo's cache.
            if (TryParseSilo(placement.SiloId) is { } target)
            {
                RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
            }

            MigrateOnIdle();
            return Reply(TrialStep.Refused(state.State, Refusal.Invalid($"trial {TrialId} is active on {LocalSiloId}, not on {placement.SiloId}; it moves")))
                with { Refusal = TrialReply.Relocating };
        }

        if (!state.State.IsCreated && placement.Definition is { } definition)
        {
            if (_records is not null && !await _records.IsPlaceableAsync(TrialId, CancellationToken.None))
            {
                // The scheduler chose it from a queue read before a cancel reached the rows: creating the grain now
                // would project a placed attempt over the cancelled row. The refusal frees the slots.
                return await ApplyAsync(TrialStep.Refused(state.State, Refusal.InvalidTransition(
                    $"trial {TrialId} was cancelled or removed from its sweep before its first placement")));
            }

            var created = TrialMachine.Create(state.State, TrialId, definition, Now());
            if (!created.IsAccepted)
            {
                return await ApplyAsync(created);
            }

            // The creation's own requeue decision is moot: the placement is what the scheduler decided.
            var placed = TrialMachine.Place(created.Next, placement, Now());
            return await ApplyAsync(placed.IsAccepted ? placed : TrialStep.Refused(state.State, placed.Refusal!));
        }

        return await ApplyAsync(TrialMachine.Place(state.State, placement, Now()));
    }

    public Task<TrialReply> AttemptStartedAsync(int attempt, string siloId) =>
        ApplyAsync(TrialMachine.Start(state.State, attempt, siloId, Now()));

    public Task<TrialReply> ReportAsync(AttemptReport report) =>
        ApplyAsync(TrialMachine.Report(state.State, report, Now()));

    public async Task<TrialReply> ReportMetricsAsync(int attempt, string siloId, ImmutableArray<MetricRecord> points, AttemptProgressReport? progress)
    {
        var fence = TrialMachine.Report(state.State, new AttemptReport { Attempt = attempt, SiloId = siloId, Step = state.State.LastStep }, Now());
        if (!fence.IsAccepted)
        {
            return await ApplyAsync(fence);
        }

        StoppingDecision? pruned = null;
        if (!points.IsDefaultOrEmpty && await StoppingMetricAsync() is { } judged)
        {
            foreach (var point in points.Where(p => p.Name == judged && p.Epoch is not null && double.IsFinite(p.Value)).OrderBy(p => p.Step))
            {
                if (await Sweep.JudgeAsync(TrialId, point.Epoch!.Value, point.Value) is { } decision)
                {
                    // Nothing the attempt reported after the decision is stored: the batch ends at the judged point.
                    pruned = decision;
                    points = [.. points.Where(p => p.Step <= point.Step)];
                    break;
                }
            }
        }

        var finite = points.IsDefault ? [] : points.Where(p => double.IsFinite(p.Value)).Select(p => p.ToPoint()).ToList();
        if (finite.Count > 0 && _records is not null)
        {
            var appended = await _records.AppendMetricsAsync(TrialId, attempt, finite, CancellationToken.None);
            if (!appended.IsAccepted)
            {
                return RefusedByRecords(appended.Refusal);
            }

            TrialTelemetry.PointsStored(state.State, finite, appended.Value);
        }

        if (pruned is not null)
        {
            return await ApplyAsync(TrialMachine.Prune(state.State, pruned.Reason, pruned.Epoch, Now()));
        }

        if (!points.IsDefault && points.FirstOrDefault(p => !double.IsFinite(p.Value) && p.Name.StartsWith("loss", StringComparison.Ordinal)) is { } diverged)
        {
            return await ApplyAsync(TrialMachine.Report(state.State, new AttemptReport
            {
                Attempt = attempt,
                SiloId = siloId,
                Step = diverged.Step,
                Metrics = ImmutableDictionary<string, double>.Empty.Add(diverged.Name, diverged.Value),
            }, Now()));
        }

        var step = progress?.Step ?? (points.IsDefaultOrEmpty ? state.State.LastStep : points.Max(p => p.Step));
        var reported = TrialMachine.Report(state.State, new AttemptReport { Attempt = attempt, SiloId = siloId, Step = step }, Now());
        TrialReply reply;
        if (reported.Changed && reported.Decisions.Count == 0 && reported.Next == state.State with { LastStep = reported.Next.LastStep })
        {
            // Only the step moved, which is no transition: storing the state (and projecting it, with an event) on every
            // report of a running attempt would cost a synced write and two store transactions a second per slot. The
            // step reaches the attempt's row with the progress below; the state keeps it in memory and stores it with
            // its next transition (a checkpoint, the end).
            state.State = reported.Next;
            reply = Reply(reported);
        }
        else
        {
            reply = await ApplyAsync(reported);
        }

        if (progress is not null && _records is not null)
        {
            await _records.ProjectProgressAsync(state.State, progress, CancellationToken.None);
        }

        return reply;
    }

    public async Task<TrialReply> PutArtifactAsync(AttemptArtifact artifact)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var fence = TrialMachine.Report(state.State, new AttemptReport { Attempt = artifact.Attempt, SiloId = artifact.SiloId, Step = state.State.LastStep }, Now());
        if (!fence.IsAccepted || _records is null)
        {
            return await ApplyAsync(fence.IsAccepted ? TrialStep.Refused(state.State, Refusal.Invalid("This host keeps no artifacts.")) : fence);
        }

        var upload = await _records.PutArtifactAsync(new ArtifactUpload(TrialId, artifact.Attempt, artifact.Kind, artifact.Name, artifact.Content), CancellationToken.None);
        if (!upload.IsAccepted)
        {
            return RefusedByRecords(upload.Refusal);
        }

        var stored = upload.Value;
        if (!string.Equals(artifact.Kind, ArtifactKinds.Checkpoint, StringComparison.Ordinal))
        {
            return Reply(TrialStep.Unchanged(state.State, $"artifact {stored.Id} stored")) with { ArtifactId = stored.Id };
        }

        var reply = await ApplyAsync(TrialMachine.Report(state.State, new AttemptReport
        {
            Attempt = artifact.Attempt,
            SiloId = artifact.SiloId,
            Step = artifact.Step ?? state.State.LastStep,
            CheckpointRef = stored.Id,
        }, Now()));
        return reply with { ArtifactId = stored.Id };
    }

    public async Task<AttemptLaunch> GetLaunchAsync(int attempt, string siloId)
    {
        var current = state.State;
        var live = current.Attempt;
        if (!current.IsCreated || live is not { IsLive: true } || live.Number != attempt || !string.Equals(live.SiloId, siloId, StringComparison.Ordinal))
        {
            return new AttemptLaunch
            {
                Accepted = false,
                Message = $"attempt {attempt} of trial {TrialId} is not the live attempt of silo {siloId}; it gets nothing",
            };
        }

        var config = _records is null ? null : await _records.GetConfigJsonAsync(TrialId, CancellationToken.None);
        byte[]? checkpoint = null;
        if (current.CheckpointRef is { } reference && _records is not null)
        {
            checkpoint = (await _records.GetArtifactAsync(reference, CancellationToken.None))?.Content.ToArray()
                ?? throw new InvalidOperationException($"Trial {TrialId}: checkpoint {reference} is missing from the artifacts.");
        }

        return new AttemptLaunch
        {
            Accepted = true,
            Message = checkpoint is null ? "start from scratch" : $"resume from checkpoint {current.CheckpointRef}",
            ConfigJson = config,
            CheckpointRef = current.CheckpointRef,
            Checkpoint = checkpoint,
            ConfigName = current.Definition?.ConfigName ?? string.Empty,
            SweepId = current.SweepId,
        };
    }

    public Task<TrialReply> AttemptEndedAsync(AttemptEnd end) =>
        ApplyAsync(TrialMachine.End(state.State, end, Now()));

    public Task<TrialReply> SiloLostAsync(string siloId) =>
        ApplyAsync(TrialMachine.SiloLost(state.State, siloId, Now()));

    public Task<TrialReply> CancelAsync() =>
        ApplyAsync(TrialMachine.Cancel(state.State, Now()));

    public async Task<TrialReply> PruneAsync(string reason, int epoch)
    {
        if (state.State.IsCreated || _records is null)
        {
            return await ApplyAsync(TrialMachine.Prune(state.State, reason, epoch, Now()));
        }

        // Never placed, so no state: the row is pruned (a placement chosen meanwhile finds it not placeable) and it leaves the queue.
        var pruned = await _records.PruneUnplacedAsync(TrialId, reason, CancellationToken.None);
        if (pruned)
        {
            await GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster).RemoveAsync([TrialId]);
            LogApplied(TrialId, $"trial {TrialId} {reason} before its first placement");
        }

        DeactivateOnIdle();
        return new TrialReply
        {
            Accepted = pruned,
            Refusal = pruned ? null : nameof(RefusalKind.InvalidTransition),
            Message = pruned ? $"trial {TrialId} {reason}" : $"trial {TrialId} was placed or finished meanwhile",
            Phase = pruned ? TrialPhase.Pruned : state.State.Phase,
            CurrentAttempt = 0,
        };
    }

    private ISweepGrain Sweep => GrainFactory.GetGrain<ISweepGrain>(state.State.SweepId);

    /// <summary>The metric the sweep's early stopping judges this trial on (asked once per activation); null: not judged.</summary>
    private async Task<string?> StoppingMetricAsync()
    {
        if (!_stoppingKnown && _records is not null && state.State.IsCreated && state.State.SweepId.Length > 0)
        {
            _stoppingMetric = await Sweep.GetStoppingMetricAsync(TrialId);
            _stoppingKnown = true;
        }

        return _stoppingMetric;
    }

    public Task<TrialView> GetAsync() =>
        Task.FromResult(new TrialView { State = state.State, ETag = state.Etag, RecordExists = state.RecordExists });

    private string LocalSiloId => GrainContext.Address.SiloAddress!.ToParsableString();

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

    private async Task<TrialReply> ApplyAsync(TrialStep step)
    {
        if (step.Refusal is { } refusal)
        {
            LogRefused(TrialId, refusal.Kind, refusal.Message);
            TrialTelemetry.Refused(state.State, refusal.Kind);
        }
        else if (step.Changed)
        {
            var before = state.State;
            state.State = step.Next;
            await state.WriteStateAsync();
            LogApplied(TrialId, step.Message);
            TrialTelemetry.Transition(before, step.Next);
            _projectionBehind = true;
            if (!before.IsFinal && step.Next.Phase is TrialPhase.Succeeded or TrialPhase.Failed or TrialPhase.Cancelled
                && await StoppingMetricAsync() is not null)
            {
                // The median rule compares with completed configurations, and a failed seed no longer holds its siblings back.
                await Sweep.TrialEndedAsync(TrialId, step.Next.Phase == TrialPhase.Succeeded);
            }
        }

        if (_projectionBehind && _records is not null && state.State.IsCreated)
        {
            // After the state is stored: a failed projection fails the call, and the next call projects again.
            await _records.ProjectAsync(state.State, EventKind(state.State), step.Message, CancellationToken.None);
            _projectionBehind = false;
        }

        if (step.Decisions.Count > 0)
        {
            foreach (var sink in _sinks)
            {
                await sink.OnDecisionsAsync(state.State, step.Decisions, CancellationToken.None);
            }
        }

        return Reply(step);
    }

    /// <summary>
    /// The records refused a write this activation's state allowed: a newer state ended the attempt, so this activation
    /// is stale (left on a silo that hung or was cut off, then declared dead). Nothing changes; the activation goes, so
    /// a later call reads the state again, and the refusal tells the runner the attempt is no longer its own.
    /// </summary>
    private TrialReply RefusedByRecords(Refusal refusal)
    {
        LogRefused(TrialId, refusal.Kind, refusal.Message);
        TrialTelemetry.Refused(state.State, refusal.Kind);
        DeactivateOnIdle();
        return Reply(TrialStep.Refused(state.State, refusal));
    }

    private TrialReply Reply(TrialStep step) => new()
    {
        Accepted = step.IsAccepted,
        Refusal = step.Refusal?.Kind.ToString(),
        Message = step.Message,
        Phase = state.State.Phase,
        CurrentAttempt = state.State.CurrentAttempt,
        Decisions = [.. step.Decisions],
    };

    private static string EventKind(TrialGrainState trial) => trial.Phase switch
    {
        TrialPhase.Pending when trial.CurrentAttempt > 0 => "requeued",
        _ => trial.Phase.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private DateTimeOffset Now() => (ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId}: {Message}")]
    private partial void LogApplied(string trialId, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} refused an event ({Kind}): {Message}")]
    private partial void LogRefused(string trialId, RefusalKind kind, string message);
}
