using System.Globalization;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// Where the time from a fault to the resumed attempt's first stored step went, from the trial's event log: until
/// attempt 1 was declared lost (membership's detection and the scheduler's tick), until attempt 2 was placed, until
/// its child process started, until its first batch of points was stored.
/// </summary>
public sealed record FailoverTimes(TimeSpan Lost, TimeSpan Placed, TimeSpan Started, TimeSpan FirstStep)
{
    public static async Task<FailoverTimes> ReadAsync(FaultCluster cluster, string sweepId, string trialId, DateTimeOffset faultAt, DateTimeOffset firstStepAt)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var events = (await cluster.GetEventsAsync(sweepId)).Where(e => e.TrialId == trialId).ToList();
        DateTimeOffset At(string kind, int attempt, string contains) =>
            events.FirstOrDefault(e => e.Kind == kind && e.Attempt == attempt && e.Message.Contains(contains, StringComparison.Ordinal)).At;
        return new FailoverTimes(
            At("requeued", 1, "lost") - faultAt,
            At("placed", 2, "attempt 2") - faultAt,
            At("running", 2, "running on") - faultAt,
            firstStepAt - faultAt);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"attempt 1 lost after {Lost.TotalSeconds:0.0} s, attempt 2 placed after {Placed.TotalSeconds:0.0} s, its child started after {Started.TotalSeconds:0.0} s, its first step stored after {FirstStep.TotalSeconds:0.0} s");
}
