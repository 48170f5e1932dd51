using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Silo;

namespace SweepCluster.Cli;

/// <summary>
/// Live progress of a local sweep: per slot the trial, epoch/step, ETA and current losses; overall
/// done/total and ETA. A live table on a terminal, plain lines (one per change) otherwise.
/// </summary>
internal sealed class ProgressView
{
    private static readonly TrialState[] Terminal = [TrialState.Succeeded, TrialState.Failed, TrialState.Cancelled];

    private readonly SiloRuntime _silo;
    private readonly UserClient _client;
    private readonly string _sweepId;
    private readonly long _started = Stopwatch.GetTimestamp();
    private string _lastLine = string.Empty;
    private int? _baseline;

    public ProgressView(SiloRuntime silo, UserClient client, string sweepId)
    {
        _silo = silo;
        _client = client;
        _sweepId = sweepId;
    }

    /// <summary>Shows progress until every trial has ended (true) or the run is cancelled (false).</summary>
    public async Task<bool> RunUntilDoneAsync(CancellationToken cancellationToken)
    {
        var interactive = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        try
        {
            if (interactive)
            {
                var done = false;
                await AnsiConsole.Live(new Text("starting...")).AutoClear(false).StartAsync(async context =>
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

                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                });
                return done;
            }

            while (true)
            {
                var detail = await _client.GetSweepAsync(_sweepId, cancellationToken);
                PrintPlain(detail);
                if (detail.Trials.All(t => Terminal.Contains(t.State)))
                {
                    return true;
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
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
            .Title(Markup.Escape($"{_sweepId}: {done}/{total} trials done, ETA {Format(eta)}"))
            .Caption(Markup.Escape(Counts(detail)));
        table.AddColumns("slot", "trial", "configuration", "epoch", "step", "ETA", "losses");
        foreach (var slot in progress.Slots)
        {
            table.AddRow(
                Markup.Escape(slot.SlotId),
                Markup.Escape(slot.TrialId ?? slot.Status),
                Markup.Escape(slot.ConfigName ?? string.Empty),
                slot.Epoch is null ? string.Empty : $"{slot.Epoch}/{slot.Epochs}",
                slot.Step is null ? string.Empty : $"{slot.Step}/{slot.Steps}",
                Format(slot.EtaSeconds is null ? null : TimeSpan.FromSeconds(slot.EtaSeconds.Value)),
                Markup.Escape(Losses(slot.LatestLosses)));
        }

        return table;
    }

    private void PrintPlain(SweepDetailDto detail)
    {
        var progress = _silo.GetProgress();
        var (done, total, eta) = Overall(detail, progress);
        var slots = string.Join("; ", progress.Slots
            .Where(s => s.TrialId is not null)
            .Select(s => $"{s.SlotId} {s.ConfigName} epoch {s.Epoch}/{s.Epochs} step {s.Step}/{s.Steps} {Losses(s.LatestLosses)}"));
        var line = $"{done}/{total} done, ETA {Format(eta)} | {Counts(detail)} | {slots}";
        // Only epoch-level changes make a new line, so a log file stays readable.
        var key = line.Split(" step ")[0] + done.ToString(CultureInfo.InvariantCulture);
        if (key != _lastLine)
        {
            _lastLine = key;
            Console.WriteLine($"[{Format(Stopwatch.GetElapsedTime(_started))}] {line}");
        }
    }

    private (int Done, int Total, TimeSpan? Eta) Overall(SweepDetailDto detail, SiloProgress progress)
    {
        var total = detail.Trials.Count;
        var done = detail.Trials.Count(t => Terminal.Contains(t.State));
        var partial = progress.Slots.Where(s => s.TrialId is not null && s.Steps is > 0)
            .Sum(s => Math.Clamp((double)(s.Step ?? 0) / s.Steps!.Value, 0, 1));
        var elapsed = Stopwatch.GetElapsedTime(_started);
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

    private static string Format(TimeSpan? span) =>
        span is null ? "-" : span.Value.TotalHours >= 1 ? span.Value.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : span.Value.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
