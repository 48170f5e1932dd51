using System.Collections.Concurrent;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo;

/// <summary>
/// A silo's main loop: registers, long-polls for work for its free slots, runs one child process
/// per claimed attempt, and heartbeats every held attempt with its progress. A child that crashes
/// or is killed fails its own attempt only.
/// </summary>
/// <remarks>
/// Shutdown (cancelling <see cref="RunAsync"/>'s token): claiming stops, every child is killed and
/// its attempt is reported failed (so the trial is retried at once, resuming from its last
/// checkpoint); a report that cannot be delivered within <see cref="SiloOptions.ShutdownReportTimeout"/>
/// leaves the attempt to expire with its lease instead. Both paths use up one of the trial's attempts.
/// Thread safe: <see cref="GetProgress"/> may be called from any thread while the loop runs.
/// </remarks>
public sealed class SiloRuntime
{
    private readonly SiloOptions _options;
    private readonly CoordinatorClient _client;
    private readonly ITrialProcessLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, AttemptRunner> _bySlot = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string TrialId, int Attempt), AttemptRunner> _runners = new();
    private TaskCompletionSource _slotFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _succeeded;
    private int _failed;
    private int _stopped;

    public SiloRuntime(SiloOptions options, CoordinatorClient client, ITrialProcessLauncher launcher, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(launcher);
        if (options.Slots.Count == 0)
        {
            throw new ArgumentException("A silo needs at least one slot.", nameof(options));
        }

        _options = options;
        _client = client;
        _launcher = launcher;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Raised (on a worker thread) when a slot's state or an attempt's progress changes.</summary>
    public event Action<SiloProgress>? ProgressChanged;

    /// <summary>Every slot: idle, or the attempt it runs with epoch, step, ETA and latest losses.</summary>
    public SiloProgress GetProgress() =>
        new(_time.GetUtcNow(),
            [.. _options.Slots.Select(s => _bySlot.TryGetValue(s.Id, out var runner)
                ? runner.Snapshot(s.Id)
                : new SlotProgress(s.Id, "idle", null, null, null, null, null, null, null, null, new Dictionary<string, double>(), null))],
            Volatile.Read(ref _succeeded), Volatile.Read(ref _failed), Volatile.Read(ref _stopped));

    /// <summary>Registers and runs until <paramref name="cancellationToken"/> is cancelled, then shuts down (see remarks) and returns.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await RegisterAsync(cancellationToken);
        using var stopHeartbeats = new CancellationTokenSource();
        var heartbeats = HeartbeatLoopAsync(stopHeartbeats.Token);
        try
        {
            await ClaimLoopAsync(cancellationToken);
        }
        finally
        {
            var running = _runners.Values.ToList();
            foreach (var runner in running)
            {
                runner.Shutdown();
            }

            await Task.WhenAll(running.Select(r => r.Completion));
            await stopHeartbeats.CancelAsync();
            await heartbeats;
        }
    }

    private Task RegisterAsync(CancellationToken cancellationToken) =>
        _client.RegisterAsync(_options.SiloId, _options.Name ?? _options.SiloId, _options.Labels, _options.Slots, cancellationToken);

    private async Task ClaimLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var slotFreed = Volatile.Read(ref _slotFreed).Task;
            var free = _options.Slots.Where(s => !_bySlot.ContainsKey(s.Id)).Select(s => s.Id).ToList();
            try
            {
                if (free.Count == 0)
                {
                    await slotFreed.WaitAsync(cancellationToken);
                    continue;
                }

                var work = await _client.ClaimAsync(_options.SiloId, free, _options.ClaimWait, _options.OnlySweepId, cancellationToken);
                foreach (var assignment in work)
                {
                    StartRunner(assignment);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (CoordinatorRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The coordinator forgot this silo (a fresh store): register again.
                Log($"claim refused ({exception.Message}); registering again");
                await PauseThenAsync(() => RegisterAsync(cancellationToken), cancellationToken);
            }
            catch (Exception exception) when (exception is CoordinatorRequestException or HttpRequestException or OperationCanceledException)
            {
                Log($"claim failed: {exception.Message}");
                await PauseThenAsync(() => Task.CompletedTask, cancellationToken);
            }
        }
    }

    private async Task PauseThenAsync(Func<Task> next, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.ClaimErrorDelay, _time, cancellationToken);
            await next();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception exception) when (exception is CoordinatorRequestException or HttpRequestException)
        {
            Log($"registration failed: {exception.Message}");
        }
    }

    private void StartRunner(AttemptAssignment assignment)
    {
        var cpuSlots = Math.Max(1, _options.Slots.Count(s => !s.IsGpu));
        int? threads = assignment.Slots.Any(s => s.IsGpu) ? null : _options.ThreadsPerCpuSlot ?? Math.Max(1, Environment.ProcessorCount / cpuSlots);
        var runner = new AttemptRunner(assignment, _options, _client, _launcher, _time, threads, RaiseProgress);
        _runners[(assignment.TrialId, assignment.Attempt)] = runner;
        foreach (var slot in assignment.Slots)
        {
            _bySlot[slot.Id] = runner;
        }

        Log($"claimed trial {assignment.TrialId} ({assignment.ConfigName}) attempt {assignment.Attempt} on slot(s) {string.Join(", ", assignment.Slots.Select(s => s.Id))}");
        runner.Start();
        _ = runner.Completion.ContinueWith(_ => Finished(runner), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Finished(AttemptRunner runner)
    {
        _runners.TryRemove((runner.Assignment.TrialId, runner.Assignment.Attempt), out _);
        foreach (var slot in runner.Assignment.Slots)
        {
            _bySlot.TryRemove(new KeyValuePair<string, AttemptRunner>(slot.Id, runner));
        }

        _ = runner.Result switch
        {
            AttemptResult.Succeeded => Interlocked.Increment(ref _succeeded),
            AttemptResult.Failed => Interlocked.Increment(ref _failed),
            _ => Interlocked.Increment(ref _stopped),
        };
        var freed = Interlocked.Exchange(ref _slotFreed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        freed.TrySetResult();
        RaiseProgress();
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            do
            {
                await BeatOnceAsync(cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task BeatOnceAsync(CancellationToken cancellationToken)
    {
        var held = _runners.Values.Select(r => r.Held()).OfType<HeldAttemptReport>().ToList();
        try
        {
            var verdicts = await _client.HeartbeatAsync(_options.SiloId, held, cancellationToken);
            foreach (var verdict in verdicts.Where(v => v.Verdict != AttemptVerdict.Continue))
            {
                if (_runners.TryGetValue((verdict.TrialId, verdict.Attempt), out var runner))
                {
                    runner.Stop(verdict.Verdict, verdict.Reason);
                }
            }
        }
        catch (CoordinatorRequestException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            Log($"heartbeat refused ({exception.Message}); registering again");
            await PauseThenAsync(() => RegisterAsync(cancellationToken), cancellationToken);
        }
        catch (Exception exception) when (exception is CoordinatorRequestException or HttpRequestException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log($"heartbeat failed: {exception.Message}");
        }
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
