using System.Collections.Immutable;
using System.Text.Json;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>The sweep's status and test matrix, answered from one call (<see cref="ISweepGrain.GetStatusAsync"/>).</summary>
public sealed partial class SweepGrain
{
    /// <summary>Metric points of trials in a terminal state, by trial id, with the attempt and state they were read at.</summary>
    private readonly Dictionary<string, (int Attempt, TrialState State, IReadOnlyList<MetricPointRecord> Points)> _finishedPoints = new(StringComparer.Ordinal);

    /// <summary>How many trials had finished when <see cref="_medianSeconds"/> was worked out; -1 before.</summary>
    private int _finishedAtMedian = -1;

    private double? _medianSeconds;

    public async Task<SweepStatus> GetStatusAsync(bool withMatrix)
    {
        if (await records.GetSweepAsync(SweepId, CancellationToken.None) is not { } sweep)
        {
            return new SweepStatus { Found = false };
        }

        var counts = sweep.TrialCounts.ToImmutableDictionary(c => JsonNamingPolicy.CamelCase.ConvertName(c.Key.ToString()), c => c.Value, StringComparer.Ordinal);
        var total = sweep.TrialCounts.Values.Sum();
        var waiting = Count(sweep, TrialState.Pending);
        var active = Count(sweep, TrialState.Placed) + Count(sweep, TrialState.Running);
        var finished = total - waiting - active;
        IReadOnlyList<TrialRecord>? trials = null;
        if (finished != _finishedAtMedian)
        {
            // Durations change only when a trial finishes: the rows are read again then, not at every call.
            trials = await records.ListTrialsAsync(SweepId, CancellationToken.None);
            _medianSeconds = SweepEta.MedianTrialSeconds(trials);
            _finishedAtMedian = finished;
        }

        string? matrix = null;
        if (withMatrix)
        {
            trials ??= await records.ListTrialsAsync(SweepId, CancellationToken.None);
            matrix = JsonMatrixRenderer.Render(TestMatrixBuilder.Build(sweep, trials, await PointsAsync(trials)));
        }

        return new SweepStatus
        {
            Found = true,
            Counts = counts,
            Total = total,
            Finished = finished,
            Progress = total == 0 ? 0 : (double)finished / total,
            EtaSeconds = SweepEta.Estimate(_medianSeconds, waiting, active),
            MatrixJson = matrix,
        };
    }

    /// <summary>Every listed trial's metric points; a finished trial's are read once and kept while it stays as it was.</summary>
    private async Task<Dictionary<string, IReadOnlyList<MetricPointRecord>>> PointsAsync(IReadOnlyList<TrialRecord> trials)
    {
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>>(StringComparer.Ordinal);
        foreach (var trial in trials.Where(t => t.Snapshot.RemovedInRevision is null))
        {
            var s = trial.Snapshot;
            var terminal = s.State is not (TrialState.Pending or TrialState.Placed or TrialState.Running);
            if (terminal && _finishedPoints.TryGetValue(s.Id, out var kept) && kept.Attempt == s.CurrentAttempt && kept.State == s.State)
            {
                points[s.Id] = kept.Points;
                continue;
            }

            var read = await records.GetMetricPointsAsync(s.Id, CancellationToken.None);
            points[s.Id] = read;
            if (terminal)
            {
                _finishedPoints[s.Id] = (s.CurrentAttempt, s.State, read);
            }
            else
            {
                _finishedPoints.Remove(s.Id);
            }
        }

        return points;
    }

    private static int Count(SweepRecord sweep, TrialState state) => sweep.TrialCounts.TryGetValue(state, out var n) ? n : 0;
}
