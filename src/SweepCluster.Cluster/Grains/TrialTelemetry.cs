using SweepCluster.Cluster.Store;
using SweepCluster.Telemetry;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// What a trial grain records in the <c>SweepCluster</c> meter of the process it lives in (the silo that runs its
/// attempt): stored metric points and each trial's latest loss terms, PSNR and leakage, ended attempts with their
/// outcome and duration, retries, and refused reports.
/// </summary>
/// <remarks>
/// Every silo serves its own meter on <c>/metrics</c>, so a counter summed over the silos (<c>sum by (sweep)</c>)
/// counts the whole cluster. A trial that moves to another silo keeps counting there.
/// </remarks>
internal static class TrialTelemetry
{
    private const string CrossOutput = "eval.x_a_from_b.";

    /// <summary>Counts newly stored points and keeps the trial's latest values (capped series).</summary>
    public static void PointsStored(TrialGrainState trial, IReadOnlyList<MetricPoint> points, int added)
    {
        SweepClusterTelemetry.RecordMetricPointsIngested(trial.SweepId, added);
        var config = trial.Definition?.ConfigName ?? "";
        var registry = SweepClusterTelemetry.TrialMetrics;
        foreach (var point in points.OrderBy(p => p.Step))
        {
            if (point.Name.StartsWith("loss.", StringComparison.Ordinal))
            {
                registry.RecordLoss(trial.SweepId, trial.TrialId, config, point.Name["loss.".Length..], point.Value);
            }
            else if (point.Name == CrossOutput + "psnr")
            {
                registry.RecordPsnr(trial.SweepId, trial.TrialId, config, point.Value);
            }
            else if (point.Name == CrossOutput + "leakage.noise_a")
            {
                registry.RecordLeakage(trial.SweepId, trial.TrialId, config, point.Value);
            }
        }
    }

    /// <summary>
    /// Records what a stored transition ended: the attempt that was live before and is not after (its outcome and
    /// wall time from placement), and a retry when the trial went back to pending for another attempt.
    /// </summary>
    public static void Transition(TrialGrainState before, TrialGrainState after)
    {
        if (before.Attempt is not { IsLive: true } live
            || after.Attempts.FirstOrDefault(a => a.Number == live.Number) is not { IsLive: false } ended)
        {
            return;
        }

        var outcome = ended.Phase switch
        {
            AttemptPhase.Succeeded => "succeeded",
            AttemptPhase.Failed => "failed",
            AttemptPhase.Lost => "lost",
            AttemptPhase.Pruned => "pruned",
            _ => "cancelled",
        };
        SweepClusterTelemetry.RecordAttempt(after.SweepId, outcome, (ended.EndedAt ?? ended.PlacedAt) - ended.PlacedAt);
        if (after.Phase == TrialPhase.Pending)
        {
            SweepClusterTelemetry.RecordAttemptRetry(after.SweepId, outcome);
        }
    }

    /// <summary>Counts a refused report of an attempt that is no longer the trial's live one.</summary>
    public static void Refused(TrialGrainState trial, RefusalKind kind)
    {
        if (kind is RefusalKind.StaleAttempt or RefusalKind.NotHolder)
        {
            SweepClusterTelemetry.RecordReportRefused(trial.SweepId, kind == RefusalKind.StaleAttempt ? "stale_attempt" : "not_holder");
        }
    }
}
