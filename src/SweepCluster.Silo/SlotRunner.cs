using System.Collections.Concurrent;
using SweepCluster.Cluster.Grains;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>
/// A silo's runner: the trial grains placed on this silo decide to start and stop attempts, and it runs one child
/// process per attempt on the slots the placement named, reporting to the trial grain. A child that crashes or is
/// killed fails its own attempt only.
/// </summary>
/// <remarks>
/// <para>It acts on decisions from the trial grain's turn and returns at once: the attempt runs on the thread pool and
/// reports through calls of its own, never waiting inside a grain call.</para>
/// <para>A placement naming a slot this silo does not have fails that attempt at once (the trial is requeued): the
/// runner refuses work the silo has no room for. A placement on a busy slot waits for the slot's attempt to end, at most
/// <see cref="SiloOptions.BusySlotWait"/>, and then fails the same way if the slot is still busy.</para>
/// <para>Shutdown (<see cref="ShutdownAsync"/>): the scheduler is told to place nothing more here (within
/// <see cref="SiloOptions.ShutdownReportTimeout"/>), every child is killed and nothing is reported: the attempts end
/// with the silo, and membership hands them back to their trials, which resume from their last checkpoint.
/// Thread safe.</para>
/// </remarks>
public sealed class SlotRunner : ITrialDecisionSink
{
    private readonly SiloOptions _options;
    private readonly IGrainFactory _grains;
    private readonly ITrialProcessLauncher _launcher;
    private readonly Func<string> _siloId;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, AttemptRunner> _bySlot = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string TrialId, int Attempt), AttemptRunner> _runners = new();
    private readonly Lock _gate = new();
    private volatile bool _stopping;
    private int _succeeded;
    private int _failed;
    private int _stopped;

    /// <param name="siloId">This silo's id as placements name it (its Orleans address), read when the first decision arrives.</param>
    public SlotRunner(SiloOptions options, IGrainFactory grains, ITrialProcessLauncher launcher, Func<string> siloId, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(launcher);
        ArgumentNullException.ThrowIfNull(siloId);
        if (options.Slots.Count == 0)
        {
            throw new ArgumentException("A runner needs at least one slot.", nameof(options));
        }

        _options = options;
        _grains = grains;
        _launcher = launcher;
        _siloId = siloId;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (on a worker thread) when a slot's state or an attempt's progress changes.</summary>
    public event Action<SiloProgress>? ProgressChanged;

    public IReadOnlyList<SlotDescription> Slots => _options.Slots;

    /// <summary>Every slot: idle, or the attempt it runs with epoch, step, ETA and latest losses.</summary>
    public SiloProgress GetProgress() =>
        new(_time.GetUtcNow(),
            [.. _options.Slots.Select(s => _bySlot.TryGetValue(s.Id, out var runner)
                ? runner.Snapshot(s.Id)
                : new SlotProgress(s.Id, "idle", null, null, null, null, null, null, null, null, new Dictionary<string, double>(), null))],
            Volatile.Read(ref _succeeded), Volatile.Read(ref _failed), Volatile.Read(ref _stopped));

    public ValueTask OnDecisionsAsync(TrialGrainState state, IReadOnlyList<TrialDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var decision in decisions)
        {
            switch (decision.Kind)
            {
                case TrialDecisionKind.StartAttempt when string.Equals(decision.SiloId, _siloId(), StringComparison.Ordinal):
                    Start(state, decision.Attempt);
                    break;
                case TrialDecisionKind.StopAttempt or TrialDecisionKind.RefuseStale:
                    if (_runners.TryGetValue((state.TrialId, decision.Attempt), out var runner))
                    {
                        runner.Stop(decision.Reason);
                    }

                    break;
                default:
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Asks the scheduler to place nothing more here, kills every child and waits for the runners. Their attempts are
    /// not reported: they end with the silo, and membership hands them back to their trials.
    /// </summary>
    public async Task ShutdownAsync()
    {
        _stopping = true;
        try
        {
            await _grains.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster).DrainAsync(_siloId()).WaitAsync(_options.ShutdownReportTimeout);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log($"could not tell the scheduler this silo is leaving ({exception.Message})");
        }

        var running = _runners.Values.ToList();
        foreach (var runner in running)
        {
            runner.Shutdown();
        }

        await Task.WhenAll(running.Select(r => r.Completion));
    }

    private void Start(TrialGrainState state, int attempt, bool retry = false)
    {
        var siloId = _siloId();
        var reporter = new GrainAttemptReporter(_grains, state.TrialId, attempt, siloId);
        var slotIds = state.Attempt?.SlotIds ?? [];
        AttemptRunner? runner = null;
        AttemptRunner? finishing = null;
        string? refusal = null;
        lock (_gate)
        {
            var slots = slotIds.Select(id => _options.Slots.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))).ToList();
            if (_stopping)
            {
                // Not refused: a refusal would fail an attempt that never ran. It ends with the silo, like the others.
                Log($"trial {state.TrialId} attempt {attempt} placed while this silo shuts down; it ends with the silo");
                return;
            }
            else if (_runners.ContainsKey((state.TrialId, attempt)))
            {
                // The same decision again (a retried placement): the attempt already runs.
                return;
            }
            else if (slots.Count == 0 || slots.Any(s => s is null))
            {
                refusal = $"silo {_options.SiloId} has no slot(s) {string.Join(", ", slotIds)}";
            }
            else if (slots.FirstOrDefault(s => _bySlot.ContainsKey(s!.Id)) is { } busy)
            {
                if (retry)
                {
                    refusal = $"slot {busy.Id} of silo {_options.SiloId} is busy";
                }
                else
                {
                    // Most often the slot's previous attempt is delivering its last report, which freed the slot in the
                    // scheduler's ledger already: start once it is done.
                    finishing = _bySlot[busy.Id];
                }
            }
            else
            {
                var assignment = new AttemptAssignment(state.TrialId, state.SweepId, state.Definition?.ConfigName ?? state.TrialId, attempt, [.. slots!]);
                var cpuSlots = Math.Max(1, _options.Slots.Count(s => !s.IsGpu));
                int? threads = assignment.Slots.Any(s => s.IsGpu) ? null : _options.ThreadsPerCpuSlot ?? Math.Max(1, Environment.ProcessorCount / cpuSlots);
                runner = new AttemptRunner(assignment, _options, reporter, _launcher, _time, threads, RaiseProgress);
                _runners[(state.TrialId, attempt)] = runner;
                foreach (var slot in assignment.Slots)
                {
                    _bySlot[slot.Id] = runner;
                }
            }
        }

        if (finishing is not null)
        {
            // Bounded: a slot whose attempt does not end (a stop that never arrived) refuses the new attempt instead of
            // holding it forever.
            _ = Task.WhenAny(finishing.Completion, Task.Delay(_options.BusySlotWait, _time)).ContinueWith(_ => Start(state, attempt, retry: true),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        if (refusal is not null)
        {
            Log($"refused trial {state.TrialId} attempt {attempt}: {refusal}");
            // Not on the grain's turn: the trial grain is waiting for this decision to be taken.
            _ = Task.Run(async () =>
            {
                try
                {
                    await reporter.FailAsync(refusal, CancellationToken.None);
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    Log($"could not refuse trial {state.TrialId} attempt {attempt}: {exception.Message}");
                }
            });
            return;
        }

        Log($"trial {state.TrialId} ({runner!.Assignment.ConfigName}) attempt {attempt} on slot(s) {string.Join(", ", runner.Assignment.Slots.Select(s => s.Id))}");
        runner.Start();
        _ = runner.Completion.ContinueWith(_ => Finished(runner), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Finished(AttemptRunner runner)
    {
        lock (_gate)
        {
            _runners.TryRemove((runner.Assignment.TrialId, runner.Assignment.Attempt), out _);
            foreach (var slot in runner.Assignment.Slots)
            {
                _bySlot.TryRemove(new KeyValuePair<string, AttemptRunner>(slot.Id, runner));
            }
        }

        _ = runner.Result switch
        {
            AttemptResult.Succeeded => Interlocked.Increment(ref _succeeded),
            AttemptResult.Failed => Interlocked.Increment(ref _failed),
            _ => Interlocked.Increment(ref _stopped),
        };
        RaiseProgress();
    }

    private void RaiseProgress()
    {
        var handler = ProgressChanged;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(GetProgress());
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A display that throws must not take an attempt down with it.
            Log($"a progress subscriber failed: {exception.Message}");
        }
    }

    private void Log(string message) => _options.Log?.Invoke($"silo {_options.SiloId}: {message}");
}
