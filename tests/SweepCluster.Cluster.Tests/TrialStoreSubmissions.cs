using SweepCluster.Cluster.Revisions;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Tests;

/// <summary>Submits a sweep to a store the way the coordinator does: through the revision rule.</summary>
internal static class TrialStoreSubmissions
{
    public static Task<SubmitResult> SubmitSweepAsync(this ITrialStore store, NewSweep sweep, IReadOnlyList<NewTrial> trials, string pendingReason,
        CancellationToken cancellationToken) =>
        store.SubmitSweepAsync(sweep, trials, pendingReason, TestData.T0, cancellationToken);

    /// <param name="now">When the submission happens: the end of attempts its removals cancel.</param>
    public static Task<SubmitResult> SubmitSweepAsync(this ITrialStore store, NewSweep sweep, IReadOnlyList<NewTrial> trials, string pendingReason,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        store.SubmitSweepAsync(sweep.Id, [.. trials.Select(t => t.Id)],
            (stored, storedTrials) => SweepRevisions.Plan(stored, storedTrials, sweep, trials, now, pendingReason), cancellationToken);
}
