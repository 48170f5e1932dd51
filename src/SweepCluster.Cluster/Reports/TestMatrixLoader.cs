using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Reports;

/// <summary>Reads what the test matrix needs from a store and builds it (the I/O side of <see cref="TestMatrixBuilder"/>).</summary>
public static class TestMatrixLoader
{
    /// <summary>
    /// Loads the sweep, its trials, every trial's metric points and, when <paramref name="includePanels"/>,
    /// the PNG panels of each succeeded trial's final attempt. Null when the sweep does not exist.
    /// </summary>
    public static async Task<LoadedReport?> LoadAsync(ITrialStore store, string sweepId, bool includePanels, VerdictRule? rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var sweep = await store.GetSweepAsync(sweepId, cancellationToken);
        if (sweep is null)
        {
            return null;
        }

        var trials = await store.ListTrialsAsync(sweepId, cancellationToken);
        var points = new Dictionary<string, IReadOnlyList<MetricPointRecord>>(StringComparer.Ordinal);
        var panels = new List<ReportPanel>();
        // The matrix leaves out trials a revision removed (TestMatrixBuilder): their points and panels are not needed.
        foreach (var trial in trials.Where(t => t.Snapshot.RemovedInRevision is null))
        {
            points[trial.Definition.Id] = await store.GetMetricPointsAsync(trial.Definition.Id, cancellationToken);
            if (!includePanels || trial.Snapshot.State != TrialState.Succeeded)
            {
                continue;
            }

            var artifacts = await store.ListArtifactsAsync(trial.Definition.Id, cancellationToken);
            foreach (var info in artifacts.Where(a => a.Attempt == trial.Snapshot.CurrentAttempt && string.Equals(a.Kind, ArtifactKinds.Panel, StringComparison.Ordinal)))
            {
                if (await store.GetArtifactAsync(info.Id, cancellationToken) is { } artifact)
                {
                    panels.Add(new ReportPanel(trial.Definition.Id, info.Name, artifact.Content));
                }
            }
        }

        return new LoadedReport(TestMatrixBuilder.Build(sweep, trials, points, rule), panels);
    }
}
