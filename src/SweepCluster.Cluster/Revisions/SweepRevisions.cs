using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Revisions;

/// <summary>
/// The revision rule of a sweep submitted again under the same id, as a pure function: the stored sweep and its
/// trials in, the <see cref="SubmitPlan"/> to write out.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A new sweep is stored as revision 1 with every trial pending.</item>
/// <item>The same definition again (<see cref="SweepDefinitionDiff.IsSame"/>, against the trials the current revision
/// lists) changes nothing: the run resumes.</item>
/// <item>A different definition becomes the next revision: the stored definition is replaced; trials both list keep
/// their state and results (their definitions take the new values); new trials are added as pending; trials no longer
/// listed are removed (<see cref="TrialLifecycle.Remove"/>: cancelled if unfinished, kept stored either way, and no longer
/// counted in the sweep's state counts, progress or test matrix); a removed trial listed again comes back
/// (<see cref="TrialLifecycle.Restore"/>: pending again if its removal cancelled it, its result reused if it had
/// finished). A trial whose removal cancelled its last allowed attempt stays cancelled until a revision allows it
/// more attempts.</item>
/// <item>A listed trial whose id another sweep holds (the same config and seed in two sweep files) stays that sweep's:
/// a trial belongs to one sweep. It is neither compared nor added, only counted (<see cref="SubmitResult.TrialsElsewhere"/>).</item>
/// </list>
/// </remarks>
public static class SweepRevisions
{
    /// <summary>Decides what submitting <paramref name="sweep"/> with <paramref name="trials"/> does.</summary>
    /// <param name="stored">The stored sweep of the same id; null when it is new.</param>
    /// <param name="storedTrials">Every trial stored for that sweep, removed ones included, and the listed trials another
    /// sweep holds (a trial belongs to one sweep: those stay that sweep's and are not part of this one).</param>
    /// <param name="now">When the submission happens (the end of attempts its removals cancel).</param>
    /// <param name="pendingReason">The pending reason of trials added or pending again.</param>
    public static SubmitPlan Plan(
        SweepRecord? stored,
        IReadOnlyList<TrialRecord> storedTrials,
        NewSweep sweep,
        IReadOnlyList<NewTrial> trials,
        DateTimeOffset now,
        string pendingReason)
    {
        ArgumentNullException.ThrowIfNull(storedTrials);
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(trials);
        var own = storedTrials.Where(t => string.Equals(t.Snapshot.SweepId, sweep.Id, StringComparison.Ordinal)).ToList();
        var elsewhere = storedTrials.Where(t => !string.Equals(t.Snapshot.SweepId, sweep.Id, StringComparison.Ordinal))
            .Select(t => t.Definition.Id).ToHashSet(StringComparer.Ordinal);
        // Left out of the comparison too: otherwise they would look added at every submission.
        var mine = trials.Where(t => !elsewhere.Contains(t.Id)).ToList();
        if (stored is null)
        {
            var created = new SubmitResult(true, 1, null, mine.Count, 0, 0, 0, elsewhere.Count, []);
            return new SubmitPlan(sweep, 1, mine, pendingReason, [], [], "sweep.submitted", $"sweep {sweep.Name}: {created.Describe()}", created);
        }

        var listed = own.Where(t => t.Snapshot.RemovedInRevision is null).Select(t => t.Definition).ToList();
        var diff = SweepDefinitionDiff.Compare(stored.Sweep, listed, sweep, mine);
        if (diff.IsSame)
        {
            var same = new SubmitResult(false, stored.Revision, null, 0, 0, 0, mine.Count, elsewhere.Count, []);
            return new SubmitPlan(null, stored.Revision, [], pendingReason, [], [], "sweep.submitted", $"sweep {sweep.Name}: {same.Describe()}", same);
        }

        var revision = stored.Revision + 1;
        var byId = own.ToDictionary(t => t.Definition.Id, StringComparer.Ordinal);
        var changes = new List<TrialChange>();
        var cancelled = 0;
        foreach (var id in diff.Removed)
        {
            var removal = TrialLifecycle.Remove(byId[id].Snapshot, revision, now).Value;
            cancelled += removal.Next.CancelledByRemoval ? 1 : 0;
            changes.Add(removal);
        }

        var newTrials = new List<NewTrial>();
        var redefined = new List<NewTrial>();
        foreach (var trial in mine)
        {
            if (!byId.TryGetValue(trial.Id, out var existing))
            {
                newTrials.Add(trial);
                continue;
            }

            var listedAgain = existing.Snapshot.RemovedInRevision is not null;
            if (listedAgain || diff.TrialFields.ContainsKey(trial.Id))
            {
                redefined.Add(trial);
            }

            // The new definition's limit decides whether a trial its removal cancelled can run again.
            var snapshot = existing.Snapshot with { MaxAttempts = trial.MaxAttempts };
            var resumable = snapshot is { State: TrialState.Cancelled, CancelledByRemoval: true } && snapshot.CurrentAttempt < snapshot.MaxAttempts;
            if (listedAgain || resumable)
            {
                changes.Add(TrialLifecycle.Restore(snapshot, revision, pendingReason).Value);
            }
        }

        var result = new SubmitResult(false, revision, stored.Revision, diff.Added.Count, diff.Removed.Count, cancelled, diff.Kept.Count, elsewhere.Count,
            diff.DescribeChanges());
        return new SubmitPlan(sweep, revision, newTrials, pendingReason, redefined, changes, "sweep.revised", $"sweep {sweep.Name}: {result.Describe()}", result);
    }
}
