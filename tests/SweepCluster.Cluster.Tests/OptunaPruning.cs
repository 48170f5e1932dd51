using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Cluster.EarlyStopping;

namespace SweepCluster.Cluster.Tests;

/// <summary>Runs tools/optuna-pruning/optuna_pruning.py (Optuna 3.1 on Debian's Python) on cases of recorded curves.</summary>
internal static class OptunaPruning
{
    /// <param name="rule"><c>asha</c>, <c>median</c> or <c>median-running-average</c> (see the script).</param>
    public sealed record Case(string Rule, StoppingPolicy Policy, IReadOnlyList<StoppingEvent> Events);

    /// <summary>For each case, the epoch each pruned trial was pruned at.</summary>
    public static List<Dictionary<string, int>> Run(IReadOnlyList<Case> cases)
    {
        var input = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
        {
            ["rule"] = c.Rule,
            ["maximize"] = c.Policy.Maximize,
            ["grace"] = c.Policy.GraceEpochs,
            ["reduction_factor"] = c.Policy.ReductionFactor,
            ["min_trials"] = c.Policy.MinTrials,
            ["events"] = new JsonArray([.. c.Events.Select(e => (JsonNode)new JsonArray(
                e.Kind == StoppingEventKind.Reported ? "report" : "complete", e.TrialId, e.Epoch, e.Value))]),
        })]);
        var output = PythonReference.Run([PythonReference.ScriptPath("optuna_pruning.py")], standardInput: input.ToJsonString());
        return [.. JsonNode.Parse(output)!.AsArray().Select(r => r!["pruned"]!.AsObject()
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<int>(), StringComparer.Ordinal))];
    }

    /// <summary>Our judge on the same events, each trial its own configuration: the epoch each pruned trial was pruned at.</summary>
    public static Dictionary<string, int> Ours(StoppingPolicy policy, IReadOnlyList<StoppingEvent> events, Func<string, string>? configOf = null)
    {
        var members = events.Select(e => e.TrialId).Distinct(StringComparer.Ordinal)
            .Select(t => new StoppingMember(t, configOf?.Invoke(t) ?? t));
        var (_, decisions) = StoppingJudge.Replay(policy, members, events);
        return decisions.Where(d => d.Pruned)
            .SelectMany(d => d.TrialIds.Select(t => (t, d.Epoch)))
            .ToDictionary(p => p.t, p => p.Epoch, StringComparer.Ordinal);
    }

    public static string Describe(IReadOnlyDictionary<string, int> pruned) =>
        string.Join(", ", pruned.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}@{p.Value}")));

    public static string ToJson(IReadOnlyDictionary<string, int> pruned) => JsonSerializer.Serialize(pruned);
}
