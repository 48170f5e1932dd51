using System.Globalization;
using Spectre.Console;
using SweepCluster.Cli.Output;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Silo;

namespace SweepCluster.Cli;

/// <summary>
/// Live progress of a local sweep: per slot the trial, epoch/step, ETA and current losses; overall
/// done/total and ETA. A live table on a terminal that takes escape codes; otherwise plain lines
/// (<see cref="PlainProgressLog"/>): one per trial that starts or ends, and progress at most every 30 s.
/// </summary>
internal sealed class ProgressView
{
    private static readonly TrialState[] Terminal = [TrialState.Succeeded, TrialState.Failed, TrialState.Cancelled, TrialState.Pruned];

    /// <summary>How often the coordinator is asked; what is printed off a terminal is throttled apart from this.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly SlotRunner _silo;
    private readonly UserClient _client;
    private readonly string _sweepId;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _started;
    private int? _baseline;

    public ProgressView(SlotRunner silo, UserClient client, string sweepId, TimeProvider time)
    {
        _silo = silo;
        _client = client;
        _sweepId = sweepId;
        _time = time;
        _started = time.GetUtcNow();
    }

    /// <summary>Shows progress until every trial has ended (true) or the run is cancelled (false).</summary>
    public async Task<bool> RunUntilDoneAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (CliConsole.CanRedraw)
            {
                var done = false;
                await CliConsole.Out.Live(new Text("starting...")).AutoClear(false).StartAsync(async context =>
                {
                    while (true)
                    {
                        var detail = await _client.GetSweepAsync(_sweepId, cancellationToken);
                        context.UpdateTarget(Render(detail));
                        if (detail.Trials.All(t => Terminal.Contains(t.State)))
                        {
                            done = true;
                            return;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
                    }
                });
                return done;
            }

            var log = new PlainProgressLog(_time, PlainProgressLog.DefaultInterval);
            while (true)
            {
                var detail = await _client.GetSweepAsync(_sweepId, cancellationToken);
                var finished = detail.Trials.All(t => Terminal.Contains(t.State));
                var trials = detail.Trials
                    .Select(t => new TrialStatus(t.Id, string.Create(CultureInfo.InvariantCulture, $"{t.ConfigName}, seed {t.Seed}"), t.State.ToString().ToLowerInvariant())
                    {
                        Reason = t.StopReason,
                    })
                    .ToList();
                foreach (var line in log.Observe(trials, PlainLine(detail), finished))
                {
                    Console.WriteLine(line);
                }

                if (finished)
                {
                    return true;
                }

                await Task.Delay(PollInterval, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private Table Render(SweepDetailDto detail)
    {
        var progress = _silo.GetProgress();
        var (done, total, eta) = Overall(detail, progress);
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"{_sweepId}: {done}/{total} trials done, ETA {ElapsedText.Format(eta)}"))
            .Caption(Markup.Escape(Counts(detail)));
        table.AddColumns("slot", "trial", "configuration", "epoch", "step", "ETA", "losses");
        table.Columns[1].NoWrap();
        table.Columns[2].NoWrap();
        foreach (var slot in progress.Slots)
        {
            table.AddRow(
                Markup.Escape(slot.SlotId),
                Markup.Escape(slot.TrialId ?? slot.Status),
                Markup.Escape(slot.ConfigName ?? string.Empty),
                slot.Epoch is null ? string.Empty : $"{slot.Epoch}/{slot.Epochs}",
                slot.Step is null ? string.Empty : $"{slot.Step}/{slot.Steps}",
                ElapsedText.Format(slot.EtaSeconds is null ? null : TimeSpan.FromSeconds(slot.EtaSeconds.Value)),
                Markup.Escape(Losses(slot.LatestLosses)));
        }

        return table;
    }

    /// <summary>The progress line: overall counts and ETA, then each busy slot's trial, epoch, step and losses.</summary>
    private string PlainLine(SweepDetailDto detail)
    {
        var progress = _silo.GetProgress();
        var (done, total, eta) = Overall(detail, progress);
        var slots = string.Join("; ", progress.Slots
            .Where(s => s.TrialId is not null)
            .Select(s => $"{s.SlotId} {s.ConfigName} epoch {s.Epoch}/{s.Epochs} step {s.Step}/{s.Steps} {Losses(s.LatestLosses)}".TrimEnd()));
        var line = $"{done}/{total} done, ETA {ElapsedText.Format(eta)} | {Counts(detail)}";
        return slots.Length == 0 ? line : $"{line} | {slots}";
    }

    private (int Done, int Total, TimeSpan? Eta) Overall(SweepDetailDto detail, SiloProgress progress)
    {
        var total = detail.Trials.Count;
        var done = detail.Trials.Count(t => Terminal.Contains(t.State));
        var partial = progress.Slots.Where(s => s.TrialId is not null && s.Steps is > 0)
            .Sum(s => Math.Clamp((double)(s.Step ?? 0) / s.Steps!.Value, 0, 1));
        var elapsed = _time.GetUtcNow() - _started;
        // Trials finished before this run started (a resumed sweep) say nothing about this run's pace.
        _baseline ??= done;
        var fraction = (done - _baseline.Value + partial) / Math.Max(1, total - _baseline.Value);
        TimeSpan? eta = fraction <= 0.01 ? null : elapsed * ((1 - fraction) / fraction);
        return (done, total, done == total ? TimeSpan.Zero : eta);
    }

    private static string Counts(SweepDetailDto detail) =>
        string.Join(", ", detail.Trials.GroupBy(t => t.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}"));

    private static string Losses(IReadOnlyDictionary<string, double> losses) =>
        string.Join(" ", losses.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.Key.Replace("loss.", string.Empty, StringComparison.Ordinal)}={l.Value:G3}")));
}
