using System.Globalization;

namespace SweepCluster.Cluster.Store;

/// <summary>What a submission did (docs/sweep-file.md, "Submitting a sweep again").</summary>
/// <param name="SweepAdded">The sweep was new: the submission stored it as revision 1.</param>
/// <param name="Revision">The sweep's revision after the submission.</param>
/// <param name="PreviousRevision">The revision the submission replaced; null when it replaced none (a new sweep, or
/// the same definition submitted again).</param>
/// <param name="TrialsAdded">Trials the previous revision did not list (all of a new sweep's); a trial listed again
/// after a removal counts here.</param>
/// <param name="TrialsRemoved">Trials the previous revision listed and this one does not.</param>
/// <param name="TrialsCancelled">Of the removed trials, those that had not finished and were cancelled.</param>
/// <param name="TrialsKept">Trials both revisions list (every trial when the definition is the same); they keep their
/// state and results.</param>
/// <param name="TrialsElsewhere">Listed trials whose id another sweep already holds (the same config and seed in two
/// sweep files): a trial belongs to one sweep, so they stay that sweep's and are not part of this one.</param>
/// <param name="Changes">What else differs from the previous revision, in words
/// (<see cref="Revisions.SweepDefinitionDiff.DescribeChanges"/>); empty unless the sweep was revised.</param>
[GenerateSerializer]
[Alias("sweepcluster.submit-result")]
public sealed record SubmitResult(
    [property: Id(0)] bool SweepAdded,
    [property: Id(1)] int Revision,
    [property: Id(2)] int? PreviousRevision,
    [property: Id(3)] int TrialsAdded,
    [property: Id(4)] int TrialsRemoved,
    [property: Id(5)] int TrialsCancelled,
    [property: Id(6)] int TrialsKept,
    [property: Id(8)] int TrialsElsewhere,
    [property: Id(7)] IReadOnlyList<string> Changes)
{
    /// <summary>
    /// The submission in one line: <c>revision 1: 6 trials added</c>, <c>revision 1, unchanged: 6 trials kept (resuming)</c>,
    /// or <c>revision 2 (was 1): 3 trials added, 2 removed (1 cancelled), 10 kept; changed: question</c>; each followed by
    /// how many listed trials are another sweep's, if any.
    /// </summary>
    public string Describe()
    {
        var elsewhere = TrialsElsewhere switch
        {
            0 => string.Empty,
            1 => "; 1 listed trial is already another sweep's and not part of this one",
            _ => string.Create(CultureInfo.InvariantCulture, $"; {TrialsElsewhere} listed trials are already another sweep's and not part of this one"),
        };
        if (SweepAdded)
        {
            return string.Create(CultureInfo.InvariantCulture, $"revision {Revision}: {Trials(TrialsAdded)} added{elsewhere}");
        }

        if (PreviousRevision is not { } previous)
        {
            return string.Create(CultureInfo.InvariantCulture, $"revision {Revision}, unchanged: {Trials(TrialsKept)} kept (resuming){elsewhere}");
        }

        var cancelled = TrialsCancelled > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({TrialsCancelled} cancelled)") : string.Empty;
        var changed = Changes.Count > 0 ? $"; changed: {string.Join(", ", Changes)}" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"revision {Revision} (was {previous}): {Trials(TrialsAdded)} added, {TrialsRemoved} removed{cancelled}, {TrialsKept} kept{changed}{elsewhere}");
    }

    private static string Trials(int count) => string.Create(CultureInfo.InvariantCulture, $"{count} trial{(count == 1 ? string.Empty : "s")}");
}
