namespace SweepCluster.Cli.Output;

/// <summary>
/// Progress for a log, a pipe or a file: a progress line at most once per interval (30 s), one
/// line whenever a trial starts, ends or is queued again, and the progress line once more at the
/// end. Time comes from a <see cref="TimeProvider"/>, so the throttle is tested with a fake clock.
/// Not thread-safe: one poll loop calls it.
/// </summary>
internal sealed class PlainProgressLog
{
    /// <summary>The most often a progress line is printed when no trial changed.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly DateTimeOffset _started;
    private readonly Dictionary<string, string> _phases = new(StringComparer.Ordinal);
    private DateTimeOffset? _lastProgress;
    private bool _seen;

    public PlainProgressLog(TimeProvider time, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _interval = interval;
        _started = time.GetUtcNow();
    }

    /// <summary>Time since this log was created, for the lines' prefix and the caller's ETA.</summary>
    public TimeSpan Elapsed => _time.GetUtcNow() - _started;

    /// <summary>
    /// The lines to print after one poll: a line per trial whose phase changed since the last poll
    /// (trials already running at the first poll count as started; those already ended, as in a
    /// resumed sweep, are not announced), then <paramref name="progress"/> when it is due or
    /// <paramref name="finished"/>.
    /// </summary>
    public IReadOnlyList<string> Observe(IReadOnlyList<TrialStatus> trials, string progress, bool finished)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var now = _time.GetUtcNow();
        var prefix = $"[{ElapsedText.Format(now - _started)}] ";
        var lines = new List<string>();
        foreach (var trial in trials)
        {
            var phase = Phase(trial.State);
            _phases.TryGetValue(trial.Id, out var before);
            _phases[trial.Id] = phase;
            if (phase == before)
            {
                continue;
            }

            var change = (before, phase) switch
            {
                (_, "running") => "started",
                ("running", "pending") => "queued again",
                (_, "pending") => null,
                (null, _) when !_seen => null,
                _ => phase,
            };
            if (change is not null)
            {
                // A trial that started and ended between two polls was still seen to start: say so first.
                if (before is "pending" || (before is null && _seen && change is not "started"))
                {
                    if (change is "succeeded" or "failed" or "pruned")
                    {
                        lines.Add($"{prefix}trial {trial.Id} ({trial.Label}) started");
                    }
                }

                lines.Add(change == "pruned" && trial.Reason is { } reason
                    ? $"{prefix}trial {trial.Id} ({trial.Label}) {reason}"
                    : $"{prefix}trial {trial.Id} ({trial.Label}) {change}");
            }
        }

        _seen = true;
        if (finished || _lastProgress is null || now - _lastProgress.Value >= _interval)
        {
            lines.Add(prefix + progress);
            _lastProgress = now;
        }

        return lines;
    }

    /// <summary>Placed and running are one phase to a reader: the trial has started.</summary>
    private static string Phase(string state) => state switch
    {
        "placed" or "running" => "running",
        _ => state,
    };
}
