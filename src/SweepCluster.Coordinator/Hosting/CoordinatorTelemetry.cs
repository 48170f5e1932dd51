using SweepCluster.Cluster;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using SweepCluster.Telemetry;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>The coordinator's calls into the SweepCluster meter that need a store lookup or a decision.</summary>
internal static class CoordinatorTelemetry
{
    private const string CrossOutput = "eval.x_a_from_b.";

    /// <summary>Counts ingested points and keeps each trial's latest loss terms, PSNR and leakage (capped series).</summary>
    public static async Task RecordPointsAsync(CoordinatorCore core, string trialId, IReadOnlyList<MetricPoint> points, int added, CancellationToken cancellationToken)
    {
        if (points.Count == 0)
        {
            return;
        }

        var trial = await core.GetTrialAsync(trialId, cancellationToken);
        if (trial is null)
        {
            return;
        }

        var sweep = trial.Snapshot.SweepId;
        var config = trial.Definition.ConfigName;
        SweepClusterTelemetry.RecordMetricPointsIngested(sweep, added);
        var registry = SweepClusterTelemetry.TrialMetrics;
        foreach (var point in points.OrderBy(p => p.Step))
        {
            if (!double.IsFinite(point.Value))
            {
                continue;
            }

            if (point.Name.StartsWith("loss.", StringComparison.Ordinal))
            {
                registry.RecordLoss(sweep, trialId, config, point.Name["loss.".Length..], point.Value);
            }
            else if (point.Name == CrossOutput + "psnr")
            {
                registry.RecordPsnr(sweep, trialId, config, point.Value);
            }
            else if (point.Name == CrossOutput + "leakage.noise_a")
            {
                registry.RecordLeakage(sweep, trialId, config, point.Value);
            }
        }
    }

    /// <summary>Records an attempt's end (duration from its start) when the coordinator accepted it.</summary>
    public static void RecordAttemptEnd(Outcome<TrialSnapshot> outcome, int attempt, string result, TimeProvider time)
    {
        if (!outcome.IsAccepted || outcome.Value.Attempt is not { } ended || ended.Number != attempt)
        {
            return;
        }

        SweepClusterTelemetry.RecordAttempt(outcome.Value.SweepId, result, (ended.EndedAt ?? time.GetUtcNow()) - ended.StartedAt);
        if (result == "failed" && outcome.Value.State == TrialState.Pending)
        {
            SweepClusterTelemetry.RecordAttemptRetry(outcome.Value.SweepId, "failed");
        }
    }
}
