namespace SweepCluster.Coordinator.Contracts;

/// <summary>
/// What a submission did (docs/sweep-file.md, "Submitting a sweep again"): a new sweep is revision 1; the same
/// definition again changes nothing; a different one becomes the next revision.
/// </summary>
/// <param name="Revision">The sweep's revision after the submission.</param>
/// <param name="PreviousRevision">The revision the submission replaced; null for a new sweep or the same definition again.</param>
/// <param name="TrialsAdded">Trials the previous revision did not list (all of a new sweep's).</param>
/// <param name="TrialsRemoved">Trials the previous revision listed and this one does not; they stay stored.</param>
/// <param name="TrialsCancelled">Of those, the ones that had not finished and were cancelled.</param>
/// <param name="TrialsKept">Trials both revisions list; they keep their state and results.</param>
/// <param name="TrialsElsewhere">Listed trials whose id another sweep already holds: they stay that sweep's.</param>
/// <param name="Changes">What else differs from the previous revision, in words (for example <c>question</c>).</param>
/// <param name="Summary">All of it in one line, for people: <c>revision 2 (was 1): 3 trials added, 2 removed (1 cancelled), 10 kept</c>.</param>
public sealed record SubmitSweepResponse(
    string SweepId,
    bool SweepAdded,
    int TrialsAdded,
    int TrialsKept,
    int Revision,
    int? PreviousRevision,
    int TrialsRemoved,
    int TrialsCancelled,
    int TrialsElsewhere,
    IReadOnlyList<string> Changes,
    string Summary);
