using System.Diagnostics;
using SweepCluster.Telemetry;
using SweepCluster.Silo.Processes;
using SweepCluster.Silo.Wire;
using static SweepCluster.Silo.Processes.TrialEventParser;

namespace SweepCluster.Silo;

/// <summary>
/// Runs one attempt: prepares its directory, starts its child, forwards its events and reports how
/// it ended, all to its trial grain through an <see cref="IAttemptReporter"/>. Once the trial says the attempt
/// is no longer ours (a stop decision, or a refused report), the child is asked to stop (SIGTERM: the trainer ends at its
/// next step), killed if it has not ended after <see cref="SiloOptions.StopGrace"/>, and nothing more is reported.
/// </summary>
internal sealed class AttemptRunner
{
    private readonly SiloOptions _options;
    private readonly IAttemptReporter _reporter;
    private readonly ITrialProcessLauncher _launcher;
    private readonly TimeProvider _time;
    private readonly int? _threads;
    private readonly Action _changed;
    private readonly CancellationTokenSource _reports;
    private readonly Lock _gate = new();
    private readonly Queue<string> _stderrTail = new();
    private readonly List<MetricPointReport> _buffer = [];
    private readonly Dictionary<string, double> _losses = new(StringComparer.Ordinal);
    private DateTimeOffset _firstBufferedAt;
    private ProgressReport? _progress;
    private ProgressReport? _progressSent;
    private string _status = "starting";
    private string? _summaryJson;
    private DivergenceReport? _diverged;
    private ITrialProcess? _process;
    private Task<int>? _stopping;
    private volatile bool _released;
    private volatile bool _shuttingDown;
    private readonly TaskCompletionSource _shutdownStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AttemptRunner(AttemptAssignment assignment, SiloOptions options, IAttemptReporter reporter, ITrialProcessLauncher launcher, TimeProvider time, int? threads, Action changed)
    {
        Assignment = assignment;
        _options = options;
        _reporter = reporter;
        _launcher = launcher;
        _time = time;
        _threads = threads;
        _changed = changed;
        _reports = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    public AttemptAssignment Assignment { get; }

    /// <summary>
    /// The name every checkpoint of an attempt is stored under, whatever file the child wrote it to: the attempt keeps one
    /// stored checkpoint, each replacing the one before.
    /// </summary>
    internal const string CheckpointName = "checkpoint.pt";

    public Task Completion { get; private set; } = Task.CompletedTask;

    public AttemptResult Result { get; private set; } = AttemptResult.Stopped;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>
    /// The trial took the attempt back (cancelled or pruned): the child is asked to stop (SIGTERM; the trainer ends at its
    /// next step), killed if it has not ended after <see cref="SiloOptions.StopGrace"/>, and nothing more is reported.
    /// </summary>
    public void Stop(string? reason)
    {
        if (!_released)
        {
            _released = true;
            Log($"stopped: {reason ?? "no reason given"}; asking the child to stop");
        }

        SetStatus("stopping");
        if (Volatile.Read(ref _process) is { } process)
        {
            _ = StopCleanlyAsync(process);
        }
    }

    /// <summary>SIGTERM, then a kill once <see cref="SiloOptions.StopGrace"/> has passed; completes with the child's exit code once it has ended.</summary>
    private Task<int> StopCleanlyAsync(ITrialProcess process)
    {
        lock (_gate)
        {
            if (_stopping is null)
            {
                process.Terminate();
                _stopping = KillAfterGraceAsync();
            }

            return _stopping;
        }

        async Task<int> KillAfterGraceAsync()
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            if (await Task.WhenAny(exited, Task.Delay(_options.StopGrace, _time)) != exited)
            {
                Log($"the child did not end within {_options.StopGrace.TotalSeconds:0.#} s of SIGTERM; killing it");
                process.Kill();
            }

            return await exited;
        }
    }

    /// <summary>The silo is shutting down: kill the child and report the attempt failed, within the shutdown report timeout.</summary>
    public void Shutdown()
    {
        _shuttingDown = true;
        _shutdownStarted.TrySetResult();
        SetStatus("stopping");
        Volatile.Read(ref _process)?.Kill();
        try
        {
            _reports.CancelAfter(_options.ShutdownReportTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt finished (and released its reporting token) while the silo began to stop.
        }
    }

    public SlotProgress Snapshot(string slotId)
    {
        lock (_gate)
        {
            var p = _progress;
            return new SlotProgress(slotId, _status, Assignment.TrialId, Assignment.ConfigName, Assignment.Attempt, p?.Epoch, p?.Epochs, p?.Step, p?.TotalSteps,
                p?.EtaSeconds, new Dictionary<string, double>(_losses, StringComparer.Ordinal), _process?.Id);
        }
    }

    private async Task RunAsync()
    {
        var token = _reports.Token;
        // One span per attempt, from the claim that started it to its completion or failure.
        using var activity = SweepClusterTelemetry.ActivitySource.StartActivity("sweepcluster.attempt", ActivityKind.Internal);
        activity?.SetTag("sweepcluster.silo", _options.SiloId);
        activity?.SetTag("sweepcluster.sweep", Assignment.SweepId);
        activity?.SetTag("sweepcluster.trial", Assignment.TrialId);
        activity?.SetTag("sweepcluster.attempt", Assignment.Attempt);
        try
        {
            var directory = AttemptDirectory();
            Directory.CreateDirectory(directory);
            var configPath = Path.Combine(directory, "config.json");
            var (configJson, checkpoint) = await _reporter.PrepareAsync(token);
            await File.WriteAllTextAsync(configPath, configJson, token);
            string? resume = null;
            if (checkpoint is not null)
            {
                // A fixed local name: neither the artifact's id nor its name becomes a path.
                resume = Path.Combine(directory, "resume.ckpt");
                await File.WriteAllBytesAsync(resume, checkpoint, token);
            }

            var exitCode = -1;
            if (!_released && !_shuttingDown)
            {
                var process = _launcher.Start(new TrialLaunchRequest(Assignment, configPath, directory, resume, _threads));
                Volatile.Write(ref _process, process);
                if (_shuttingDown)
                {
                    process.Kill();
                }
                else if (_released)
                {
                    _ = StopCleanlyAsync(process);
                }

                Log($"started as process {process.Id}");
                SetStatus(_released || _shuttingDown ? "stopping" : "running");
                await DeliverAsync(() => _reporter.StartedAsync(token), "the start", token);
                await PumpAsync(process, directory, token);
                exitCode = await process.WaitForExitAsync(CancellationToken.None);
                activity?.SetTag("sweepcluster.exit_code", exitCode);
                activity?.SetStatus(exitCode == 0 ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            }

            await FlushAsync(token, mustDeliver: true);
            await FinishAsync(exitCode, token);
        }
        catch (AttemptRevokedException exception)
        {
            // A refused report (the trial was cancelled or pruned, or the attempt went stale): the child ends as for a
            // stop, asked first and killed after the grace; the attempt ends once it has.
            _released = true;
            var ended = Volatile.Read(ref _process) is { } process ? $" (the child exited with {await StopCleanlyAsync(process)})" : string.Empty;
            Log($"the trial no longer counts this attempt as ours ({exception.Message}); stopped{ended}");
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Log("shutdown: could not report in time; the trial learns it when this silo leaves the cluster");
        }
        catch (Exception exception)
        {
            Volatile.Read(ref _process)?.Kill();
            await FailQuietlyAsync($"the silo could not run the attempt: {exception.Message}", token);
        }
        finally
        {
            if (Volatile.Read(ref _process) is { } process)
            {
                await process.DisposeAsync();
            }

            SetStatus("done");
            _reports.Dispose();
        }
    }

    private async Task PumpAsync(ITrialProcess process, string directory, CancellationToken token)
    {
        var output = process.Output;
        Task<bool>? pending = null;
        while (true)
        {
            pending ??= output.WaitToReadAsync(CancellationToken.None).AsTask();
            if ((_buffer.Count > 0 || ProgressUnsent()) && !pending.IsCompleted)
            {
                // Points wait at most MetricFlushInterval: flush when the oldest is due, even if the child is quiet.
                var due = _firstBufferedAt + _options.MetricFlushInterval - _time.GetUtcNow();
                if (due > TimeSpan.Zero)
                {
                    using var cancelDelay = new CancellationTokenSource();
                    var delay = Task.Delay(due, _time, cancelDelay.Token);
                    var first = await Task.WhenAny(pending, delay);
                    await cancelDelay.CancelAsync();
                    if (first == pending)
                    {
                        continue;
                    }
                }

                await FlushAsync(token);
                continue;
            }

            if (!await pending)
            {
                return;
            }

            pending = null;
            while (output.TryRead(out var line))
            {
                await HandleAsync(line, directory, token);
            }
        }
    }

    private async Task HandleAsync(TrialOutputLine line, string directory, CancellationToken token)
    {
        if (line.IsStandardError)
        {
            lock (_gate)
            {
                _stderrTail.Enqueue(line.Text);
                while (_stderrTail.Count > Math.Max(1, _options.StderrTailLines))
                {
                    _stderrTail.Dequeue();
                }
            }

            return;
        }

        switch (TrialEventParser.Parse(line.Text))
        {
            case ProgressEvent p:
                if (_buffer.Count == 0 && !ProgressUnsent())
                {
                    _firstBufferedAt = _time.GetUtcNow();
                }

                lock (_gate)
                {
                    _progress = new ProgressReport(p.Step, p.Steps, p.Epoch, p.Epochs, p.EtaSeconds);
                }

                _changed();
                break;
            case MetricEvent m:
                if (_buffer.Count == 0 && !ProgressUnsent())
                {
                    _firstBufferedAt = _time.GetUtcNow();
                }

                _buffer.Add(new MetricPointReport(m.Step, m.Name, m.Value, m.Epoch, m.Kind));
                SiloTelemetry.Observe(_options.SiloId, Assignment.Slots, m.Name, m.Value);
                if (m.Name.StartsWith("loss.", StringComparison.Ordinal))
                {
                    lock (_gate)
                    {
                        _losses[m.Name] = m.Value;
                    }
                }

                if (_buffer.Count >= Math.Max(1, _options.MetricBatchSize))
                {
                    await FlushAsync(token);
                }

                break;
            case CheckpointEvent c:
                // Points up to the checkpoint go first, so a resumed attempt never lacks them: a checkpoint whose points
                // could not be delivered is not stored (the trial keeps resuming from the one before; the next one, sent
                // after those points, replaces it).
                var at = c.Step is { } checkpointStep ? $"checkpoint of step {checkpointStep}" : "checkpoint";
                if (!await FlushAsync(token))
                {
                    if (!_released)
                    {
                        Log($"{at} not stored: the points before it are not delivered yet");
                    }
                }
                else if (await UploadAsync(directory, c.Path, "checkpoint", CheckpointName, c.Step, token))
                {
                    // From here a new attempt of this trial resumes at this point, whatever happens to this one.
                    Log($"{at} stored");
                }

                break;
            case ArtifactEvent a:
                await UploadAsync(directory, a.Path, a.Kind, a.Name, null, token);
                break;
            case SummaryEvent s:
                _summaryJson = s.SummaryJson;
                break;
            case DivergedEvent d:
                _diverged ??= new DivergenceReport(d.Step, d.Name, d.Value);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Sends the buffered points with the latest progress. A batch that cannot be delivered goes back to the front of
    /// the buffer and is sent again with the next flush (writes are idempotent). With <paramref name="mustDeliver"/>
    /// (before the attempt completes) it is retried until delivered, the attempt is no longer ours, or the silo stops.
    /// </summary>
    /// <returns>Whether every buffered point was delivered (false: they wait in the buffer, or the attempt is no longer ours).</returns>
    private async Task<bool> FlushAsync(CancellationToken token, bool mustDeliver = false)
    {
        if (_released)
        {
            _buffer.Clear();
            return false;
        }

        if (_buffer.Count == 0 && !ProgressUnsent())
        {
            return true;
        }

        var batch = _buffer.ToList();
        ProgressReport? progress;
        lock (_gate)
        {
            progress = _progress;
        }

        _buffer.Clear();
        if (mustDeliver)
        {
            await DeliverAsync(() => _reporter.ReportMetricsAsync(batch, progress, token), $"{batch.Count} metric point(s)", token);
            _progressSent = progress;
            return true;
        }

        if (await ReportAsync(() => _reporter.ReportMetricsAsync(batch, progress, token), $"{batch.Count} metric point(s)"))
        {
            _progressSent = progress;
            return true;
        }

        _buffer.InsertRange(0, batch);
        return false;
    }

    private bool ProgressUnsent()
    {
        lock (_gate)
        {
            return _progress is not null && !Equals(_progress, _progressSent);
        }
    }

    /// <summary>
    /// Sends a report the attempt cannot end without (its last points, its completion or failure), retrying transient
    /// errors with a growing pause: a lost grain silo or a storage restart must not lose them. A revocation (the attempt
    /// is no longer ours) and cancellation (the silo stops) propagate.
    /// </summary>
    private async Task DeliverAsync(Func<Task> send, string what, CancellationToken token)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                await send();
                return;
            }
            catch (Exception exception) when (exception is not AttemptRevokedException and not OperationCanceledException and not OutOfMemoryException)
            {
                Log($"could not report {what} yet ({exception.Message}); retrying in {pause.TotalSeconds:F0} s");
            }

            await Task.Delay(pause, _time, token);
            pause = TimeSpan.FromSeconds(Math.Min(pause.TotalSeconds * 2, 10));
        }
    }

    /// <returns>Whether the coordinator stored the file.</returns>
    private async Task<bool> UploadAsync(string directory, string path, string kind, string? name, long? step, CancellationToken token)
    {
        if (_released)
        {
            return false;
        }

        // Only files inside the attempt directory are uploaded, whatever the child names.
        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(directory, path));
        if (!full.StartsWith(root, StringComparison.Ordinal) || !File.Exists(full))
        {
            Log($"ignored {kind} {path}: not a file inside the attempt directory");
            return false;
        }

        byte[] content;
        try
        {
            content = await File.ReadAllBytesAsync(full, token);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The child keeps a few recent files only: one this far behind may be gone. A later event names a newer one.
            Log($"ignored {kind} {path}: {exception.Message}");
            return false;
        }

        return await ReportAsync(() => _reporter.UploadArtifactAsync(kind, name ?? Path.GetFileName(full), step, content, token),
            $"{kind} {Path.GetFileName(full)}");
    }

    /// <summary>Sends a report; a revocation (no longer ours) and cancellation propagate, other errors are logged and the attempt goes on.</summary>
    /// <returns>Whether the report was delivered.</returns>
    private async Task<bool> ReportAsync(Func<Task> report, string what)
    {
        try
        {
            await report();
            return true;
        }
        catch (Exception exception) when (exception is not AttemptRevokedException and not OperationCanceledException and not OutOfMemoryException)
        {
            Log($"could not report {what}: {exception.Message}");
        }

        return false;
    }

    private async Task FinishAsync(int exitCode, CancellationToken token)
    {
        if (_released)
        {
            Result = AttemptResult.Stopped;
            return;
        }

        if (!_shuttingDown && exitCode is InterruptExitCode or TerminateExitCode)
        {
            // Ctrl-C and SIGTERM reach the children with the silo (one process group): wait a moment for the silo's own
            // shutdown before calling it the attempt's failure.
            await Task.WhenAny(_shutdownStarted.Task, Task.Delay(_options.ShutdownGrace, _time, CancellationToken.None));
        }

        if (_shuttingDown)
        {
            // Nothing is reported: the attempt stays this silo's until the silo has left the cluster, then its trial
            // resumes elsewhere (or in the next run) from its last checkpoint, as for any lost silo.
            Result = AttemptResult.Stopped;
            Log($"silo {_options.SiloId} is shutting down; the attempt ends with the silo");
            return;
        }

        if (_diverged is { } diverged)
        {
            // Whatever the exit code: the trainer said its loss stopped being finite, and a retry would diverge again.
            // The non-finite loss itself is the report: the trial grain fails the trial with the reason, and says stop.
            Result = AttemptResult.Failed;
            try
            {
                await DeliverAsync(() => _reporter.ReportMetricsAsync([new MetricPointReport(diverged.Step, diverged.Metric, diverged.Value, null, "step")], null, token),
                    "the divergence", token);
            }
            catch (AttemptRevokedException)
            {
                // The expected answer: the trial failed and this attempt is over.
            }

            Log($"{diverged.Reason}; reported as failed, not to be retried");
            return;
        }

        if (exitCode == 0 && _summaryJson is not null)
        {
            await DeliverAsync(() => _reporter.CompleteAsync(_summaryJson, token), "the completion", token);
            Result = AttemptResult.Succeeded;
            Log("succeeded");
            return;
        }

        string tail;
        lock (_gate)
        {
            tail = string.Join('\n', _stderrTail);
        }

        var why = exitCode == 0
            ? "the trial process exited with code 0 without writing a summary event"
            : exitCode > 128
                ? $"the trial process was killed by signal {exitCode - 128} (exit code {exitCode})"
                : $"the trial process exited with code {exitCode}";
        var message = tail.Length > 0 ? $"{why}; last standard error:\n{tail}" : why;
        await DeliverAsync(() => _reporter.FailAsync(message, token), "the failure", token);
        Result = AttemptResult.Failed;
        Log(why);
    }

    private async Task FailQuietlyAsync(string message, CancellationToken token)
    {
        Result = _shuttingDown ? AttemptResult.Stopped : AttemptResult.Failed;
        if (_released)
        {
            return;
        }

        try
        {
            await _reporter.FailAsync(message, token);
            Log($"failed: {message}");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log($"could not report the failure ({exception.Message}); the trial learns it when this silo leaves the cluster");
        }
    }

    /// <summary>The exit codes of a child ended by SIGINT (128 + 2) and SIGTERM (128 + 15).</summary>
    private const int InterruptExitCode = 130;

    private const int TerminateExitCode = 143;

    private string AttemptDirectory()
    {
        var safe = new string([.. Assignment.TrialId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')]);
        return Path.Combine(_options.WorkDirectory, safe, $"attempt-{Assignment.Attempt}");
    }

    private void SetStatus(string status)
    {
        lock (_gate)
        {
            _status = status;
        }

        _changed();
    }

    private void Log(string message) => _options.Log?.Invoke($"trial {Assignment.TrialId} attempt {Assignment.Attempt}: {message}");
}
