using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// The cluster's slot ledger and trial queue (one grain, key <see cref="SchedulerGrainKeys.Cluster"/>): it places
/// pending trials of every sweep on free fitting slots by priority and resources, activates each placed trial grain on
/// its silo (the placement hint), and tells trial grains whose silo membership declared dead.
/// </summary>
/// <remarks>
/// Its state is rebuilt, never stored: the queue and the ledger follow from the trial rows (pending trials; placed and
/// running attempts with their silo and slots) and the silos from membership. So a scheduler lost with its silo comes
/// back on another with nothing forgotten. Trial grains call it (enqueue, release); it never waits on a trial grain
/// (a trial grain waits on it), so its calls to them are sent without awaiting the reply in the same turn.
/// </remarks>
[Alias("sweepcluster.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Adds trials to the queue (a trial already queued or holding slots is replaced: a requeue frees its slots).</summary>
    [Alias("enqueue")]
    Task EnqueueAsync(ImmutableArray<QueuedTrial> trials);

    /// <summary>The attempt no longer holds its slots (it ended, or its trial was cancelled); places the next trials.</summary>
    [Alias("release")]
    Task ReleaseAsync(string trialId, int attempt);

    /// <summary>Takes trials out of the queue (cancelled while pending).</summary>
    [Alias("remove")]
    Task RemoveAsync(ImmutableArray<string> trialIds);

    /// <summary>
    /// Looks at membership (lost silos' attempts are reported to their trials), places what fits, works out why the
    /// others wait and sends again any placement not yet confirmed; returns the view (<see cref="GetAsync"/>).
    /// </summary>
    [Alias("tick")]
    Task<SchedulerView> TickAsync();

    /// <summary>
    /// <see cref="TickAsync"/> without the view, and pending reasons at most once a second however many call it: every
    /// silo's <c>SchedulerPump</c> calls it about once a second, which also brings the grain back after its silo died.
    /// (The view lists the whole queue; built and sent to every silo every second, it cost more than the placements.)
    /// </summary>
    [Alias("pulse")]
    Task PulseAsync();

    /// <summary>Reads the queue and the ledger from the trial rows again (after a submission or a cancellation) and places.</summary>
    [Alias("refresh")]
    Task RefreshAsync();

    /// <summary>The silo is shutting down: nothing more is placed on it (its running attempts end with it).</summary>
    [Alias("drain")]
    Task DrainAsync(string siloId);

    [Alias("get")]
    Task<SchedulerView> GetAsync();
}
