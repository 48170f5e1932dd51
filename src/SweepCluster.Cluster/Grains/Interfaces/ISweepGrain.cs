using System.Collections.Immutable;
using Orleans.Concurrency;
using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The coordinator grain of one sweep, keyed by the sweep's id: it takes the sweep's submissions and its cancellation,
/// and hands its trials to the scheduler.
/// </summary>
/// <remarks>
/// Calls are handled one at a time, but for the early-stopping calls, which trial grains make and wait on: they
/// interleave with a submission or a cancellation (which wait on trial grains), and run one at a time among themselves.
/// The sweep's rows (definition, trials, their states and summaries) are written
/// through <see cref="ITrialRecords"/>; status and the test matrix are read from them. Trial grains never wait on the
/// sweep grain, so it may wait on them (cancelling a running trial).
/// </remarks>
[Alias("sweepcluster.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Stores the sweep and its new trials as pending and has the scheduler take them (idempotent for the same sweep).</summary>
    [Alias("submit")]
    Task<SweepReply> SubmitAsync(NewSweep sweep, ImmutableArray<NewTrial> trials);

    /// <summary>Cancels every unfinished trial of the sweep; running attempts are stopped.</summary>
    [Alias("cancel")]
    Task<SweepReply> CancelAsync();

    /// <summary>
    /// The sweep's status (trial counts per state, progress, an estimate of the time left) and, when
    /// <paramref name="withMatrix"/>, its test matrix, from one call. Reads the counts only, unless a trial finished
    /// since the last call; the metric points of finished trials are kept between calls, so a matrix re-reads only those
    /// of unfinished trials.
    /// </summary>
    [Alias("status")]
    Task<SweepStatus> GetStatusAsync(bool withMatrix);

    /// <summary>
    /// The metric the sweep's early stopping judges <paramref name="trialId"/> on, or null when the sweep has none or the
    /// trial does not take part (its row opted out, a reference trial): the trial grain reports that metric only.
    /// </summary>
    [Alias("stopping-metric")]
    [AlwaysInterleave]
    Task<string?> GetStoppingMetricAsync(string trialId);

    /// <summary>
    /// The trial reported the judged metric for an epoch. The value joins the sweep's log (stored before the reply), the
    /// rule judges the trial's configuration, and the reply is the decision that pruned it (now, or earlier, for a
    /// sibling seed or a repeated report), or null while it goes on. A pruned configuration's other seeds are told.
    /// </summary>
    [Alias("stopping-judge")]
    [AlwaysInterleave]
    Task<StoppingDecision?> JudgeAsync(string trialId, int epoch, double value);

    /// <summary>The trial finished (<paramref name="succeeded"/>) or failed or was cancelled: the median rule compares with completed configurations.</summary>
    [Alias("stopping-ended")]
    [AlwaysInterleave]
    Task TrialEndedAsync(string trialId, bool succeeded);
}
