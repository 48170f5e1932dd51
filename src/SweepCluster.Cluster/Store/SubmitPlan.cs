using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// What a submission decided (<see cref="Revisions.SweepRevisions.Plan"/>), for <see cref="ITrialStore.SubmitSweepAsync"/>
/// to write in one transaction.
/// </summary>
/// <param name="Sweep">The definition to store as <paramref name="Revision"/>: inserted when the sweep is new, replacing
/// the stored one otherwise; null leaves the stored sweep as it is.</param>
/// <param name="NewTrials">Trials the store does not hold yet, inserted as pending with <paramref name="PendingReason"/>.</param>
/// <param name="Redefined">Stored trials of the sweep whose definition (everything but the id and the sweep) is replaced.</param>
/// <param name="Changes">Transitions of stored trials of the sweep (removed, listed again), written as
/// <see cref="ITrialStore.UpdateTrialAsync"/> writes a transition.</param>
/// <param name="EventKind">The kind of the sweep's event for this submission.</param>
/// <param name="EventMessage">Its message.</param>
/// <param name="Result">What the submission did, returned to the caller.</param>
public sealed record SubmitPlan(
    NewSweep? Sweep,
    int Revision,
    IReadOnlyList<NewTrial> NewTrials,
    string PendingReason,
    IReadOnlyList<NewTrial> Redefined,
    IReadOnlyList<TrialChange> Changes,
    string EventKind,
    string EventMessage,
    SubmitResult Result)
{
    /// <summary>
    /// Throws when the plan cannot be written against what the store read: a new sweep without a definition, another
    /// sweep's id, or a redefinition or transition of a trial the sweep does not hold (another sweep's included).
    /// </summary>
    internal void Check(string sweepId, SweepRecord? stored, IReadOnlyList<TrialRecord> storedTrials)
    {
        if (stored is null && Sweep is null)
        {
            throw new InvalidOperationException($"The plan for new sweep {sweepId} stores no definition.");
        }

        if (Sweep is not null && !string.Equals(Sweep.Id, sweepId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The plan for sweep {sweepId} stores sweep {Sweep.Id}.");
        }

        var held = storedTrials.Where(t => string.Equals(t.Snapshot.SweepId, sweepId, StringComparison.Ordinal))
            .Select(t => t.Definition.Id).ToHashSet(StringComparer.Ordinal);
        var stranger = Redefined.Select(t => t.Id).Concat(Changes.Select(c => c.Next.Id)).FirstOrDefault(id => !held.Contains(id));
        if (stranger is not null)
        {
            throw new InvalidOperationException($"The plan for sweep {sweepId} changes trial {stranger}, which the sweep does not hold.");
        }
    }
}
