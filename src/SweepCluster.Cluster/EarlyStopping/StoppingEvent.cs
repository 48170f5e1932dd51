namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>
/// One event of the sweep grain's early-stopping log, in arrival order: the log is the input the decisions are
/// replayed from (<see cref="StoppingJudge"/>).
/// </summary>
[GenerateSerializer]
[Alias("sweepcluster.stopping-event")]
public sealed record StoppingEvent(
    [property: Id(0)] StoppingEventKind Kind,
    [property: Id(1)] string TrialId,
    [property: Id(2)] int Epoch,
    [property: Id(3)] double Value)
{
    public static StoppingEvent Reported(string trialId, int epoch, double value) => new(StoppingEventKind.Reported, trialId, epoch, value);

    public static StoppingEvent Completed(string trialId) => new(StoppingEventKind.Completed, trialId, 0, 0);

    public static StoppingEvent Withdrawn(string trialId) => new(StoppingEventKind.Withdrawn, trialId, 0, 0);
}
