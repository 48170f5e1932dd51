using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SweepCluster.Cluster.Revisions;

/// <summary>
/// How one definition of a sweep differs from another: which trials the second adds, removes and keeps, and
/// which fields of the sweep and of the kept trials changed. Built by <see cref="Compare"/>, a pure function.
/// </summary>
/// <remarks>
/// <para>A definition is the sweep (<see cref="NewSweep"/>) and its trials (<see cref="NewTrial"/>). Trials are matched
/// by id (a content hash of the resolved configuration), so "kept" means the same configuration and seed. Two
/// definitions are the same (<see cref="IsSame"/>) when they list the same trial ids and no compared field differs:</para>
/// <list type="bullet">
/// <item>of the sweep: name, description, question, objective metric and goal, and the sweep text after
/// <see cref="CanonicalText"/> (so line endings and trailing white space do not count; any other edit of the file,
/// a comment included, does);</item>
/// <item>of each kept trial: everything but its id, that is its configuration name and key, seed, parameters and
/// configuration (as JSON values, not as text), expectation and expected verdict, resources, maximum attempts,
/// priority and order in the sweep.</item>
/// </list>
/// <para>The creation time is not compared: a client that leaves it out gets the coordinator's clock.</para>
/// </remarks>
/// <param name="Added">Ids the second definition lists and the first does not, in the second's order.</param>
/// <param name="Removed">Ids the first definition lists and the second does not, in the first's order.</param>
/// <param name="Kept">Ids both list, in the second's order.</param>
/// <param name="SweepFields">The sweep's fields that differ (<see cref="SweepDefinitionFields"/> names).</param>
/// <param name="TrialFields">For each kept trial whose definition differs: the fields that differ, by trial id.</param>
public sealed record SweepDefinitionDiff(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> SweepFields,
    IReadOnlyDictionary<string, IReadOnlyList<string>> TrialFields)
{
    /// <summary>Whether the two definitions are the same: submitting the second over the first changes nothing.</summary>
    public bool IsSame => Added.Count == 0 && Removed.Count == 0 && SweepFields.Count == 0 && TrialFields.Count == 0;

    /// <summary>
    /// What changed besides the trial set, in words: each differing sweep field, then each differing trial field with
    /// how many kept trials it differs in (<c>question</c>, <c>sweep text</c>, <c>expectation of 2 trials</c>).
    /// </summary>
    public IReadOnlyList<string> DescribeChanges()
    {
        var changes = new List<string>(SweepFields);
        foreach (var field in SweepDefinitionFields.OfTrial)
        {
            var count = TrialFields.Values.Count(fields => fields.Contains(field, StringComparer.Ordinal));
            if (count > 0)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"{field} of {count} trial{(count == 1 ? string.Empty : "s")}"));
            }
        }

        return changes;
    }

    /// <summary>Compares definition <paramref name="before"/> with definition <paramref name="after"/>.</summary>
    public static SweepDefinitionDiff Compare(NewSweep before, IReadOnlyList<NewTrial> beforeTrials, NewSweep after, IReadOnlyList<NewTrial> afterTrials)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(beforeTrials);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(afterTrials);
        var old = beforeTrials.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var listed = afterTrials.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var added = afterTrials.Where(t => !old.ContainsKey(t.Id)).Select(t => t.Id).ToList();
        var removed = beforeTrials.Where(t => !listed.Contains(t.Id)).Select(t => t.Id).ToList();
        var kept = afterTrials.Where(t => old.ContainsKey(t.Id)).Select(t => t.Id).ToList();

        var trialFields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var trial in afterTrials.Where(t => old.ContainsKey(t.Id)))
        {
            var fields = TrialFieldsThatDiffer(old[trial.Id], trial);
            if (fields.Count > 0)
            {
                trialFields[trial.Id] = fields;
            }
        }

        return new SweepDefinitionDiff(added, removed, kept, SweepFieldsThatDiffer(before, after), trialFields);
    }

    /// <summary>
    /// The sweep text as compared: a leading byte order mark dropped, line endings as <c>\n</c>, no spaces or tabs at
    /// the end of a line, no blank lines at the end.
    /// </summary>
    public static string CanonicalText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var canonical = new StringBuilder(text.Length);
        foreach (var line in lines)
        {
            canonical.Append(line.TrimEnd(' ', '\t')).Append('\n');
        }

        return canonical.ToString().TrimEnd('\n');
    }

    private static List<string> SweepFieldsThatDiffer(NewSweep before, NewSweep after)
    {
        var fields = new List<string>();
        AddIf(fields, SweepDefinitionFields.Name, !Same(before.Name, after.Name));
        AddIf(fields, SweepDefinitionFields.Description, !Same(before.Description, after.Description));
        AddIf(fields, SweepDefinitionFields.Question, !Same(before.Question, after.Question));
        AddIf(fields, SweepDefinitionFields.ObjectiveMetric, !Same(before.ObjectiveMetric, after.ObjectiveMetric));
        AddIf(fields, SweepDefinitionFields.ObjectiveGoal, before.ObjectiveGoal != after.ObjectiveGoal);
        AddIf(fields, SweepDefinitionFields.SweepText, !Same(CanonicalText(before.SweepText), CanonicalText(after.SweepText)));
        return fields;
    }

    private static List<string> TrialFieldsThatDiffer(NewTrial before, NewTrial after)
    {
        var fields = new List<string>();
        AddIf(fields, SweepDefinitionFields.ConfigName, !Same(before.ConfigName, after.ConfigName));
        AddIf(fields, SweepDefinitionFields.ConfigKey, !Same(before.ConfigKey, after.ConfigKey));
        AddIf(fields, SweepDefinitionFields.Seed, before.Seed != after.Seed);
        AddIf(fields, SweepDefinitionFields.Parameters, !SameJson(before.ParametersJson, after.ParametersJson));
        AddIf(fields, SweepDefinitionFields.Expectation, !Same(before.Expect, after.Expect));
        AddIf(fields, SweepDefinitionFields.ExpectedVerdict, !Same(before.ExpectedVerdict, after.ExpectedVerdict));
        AddIf(fields, SweepDefinitionFields.Config, !SameJson(before.ConfigJson, after.ConfigJson));
        AddIf(fields, SweepDefinitionFields.Resources, !SameResources(before.Resources, after.Resources));
        AddIf(fields, SweepDefinitionFields.MaxAttempts, before.MaxAttempts != after.MaxAttempts);
        AddIf(fields, SweepDefinitionFields.Priority, before.Priority != after.Priority);
        AddIf(fields, SweepDefinitionFields.Order, before.OrderIndex != after.OrderIndex);
        return fields;
    }

    private static void AddIf(List<string> fields, string field, bool differs)
    {
        if (differs)
        {
            fields.Add(field);
        }
    }

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>The same JSON value written alike: white space and string escapes do not count; member order does (it orders the matrix's columns).</summary>
    private static bool SameJson(string a, string b) => Same(a, b) || Same(CompactJson(a), CompactJson(b));

    private static string CompactJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static bool SameResources(ResourceRequest a, ResourceRequest b) =>
        a.Gpus == b.Gpus
        && a.GpuMemoryGiB.Equals(b.GpuMemoryGiB)
        && a.Labels.Count == b.Labels.Count
        && a.Labels.All(l => b.Labels.TryGetValue(l.Key, out var value) && Same(l.Value, value));
}
