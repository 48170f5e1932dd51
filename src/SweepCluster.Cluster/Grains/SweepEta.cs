using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// An estimate of a sweep's time left, pure: the median duration of its trials' finished attempts, times the trials
/// still to run, spread over as many slots as the sweep holds now (at least one).
/// </summary>
public static class SweepEta
{
    /// <summary>The median duration, in seconds, of the attempts that ended a trial (succeeded or failed); null without one.</summary>
    public static double? MedianTrialSeconds(IEnumerable<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var durations = trials
            .Select(t => t.Snapshot)
            .Where(s => s.RemovedInRevision is null && s.State is TrialState.Succeeded or TrialState.Failed)
            .Select(s => s.Attempt is { EndedAt: { } ended } a ? (ended - a.StartedAt).TotalSeconds : double.NaN)
            .Where(d => double.IsFinite(d) && d >= 0)
            .Order()
            .ToList();
        if (durations.Count == 0)
        {
            return null;
        }

        var middle = durations.Count / 2;
        return durations.Count % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
    }

    /// <summary>Seconds left: null without a median; 0 when nothing is left to run.</summary>
    /// <param name="waiting">Pending trials.</param>
    /// <param name="active">Placed or running trials (each holds a slot).</param>
    public static double? Estimate(double? medianTrialSeconds, int waiting, int active)
    {
        if (waiting + active == 0)
        {
            return 0;
        }

        if (medianTrialSeconds is not { } median)
        {
            return null;
        }

        // A running trial is taken as half done: its progress is not part of the rows this estimate reads.
        return (waiting + active * 0.5) * median / Math.Max(1, active);
    }
}
