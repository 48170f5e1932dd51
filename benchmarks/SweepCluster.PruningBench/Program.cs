using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using SweepCluster.Cluster.EarlyStopping;
using SweepCluster.PruningBench;
using SweepCluster.Testing;

// The early-stopping benchmark: a simulated sweep of synthetic learning curves (no training), judged by SweepCluster's
// rules and by Optuna 3.1's pruners on the same curves in the same arrival order. For each: the compute saved
// (trial-epochs run against the full grid) and whether the best configuration was kept.
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("""
        usage: SweepCluster.PruningBench [--trials N] [--epochs N] [--slots N] [--seed N] [--grace N] [--reduction-factor N] [--min-trials N]
          defaults: 1000 trials, 27 epochs, 16 slots, seed 1, grace 1, reduction factor 3, min trials 3
        """);
    return 2;
}

// The reference is checked before anything runs: a missing one is named in one line, with exit code 3.
if (ReferenceCheck.Describe(
        ReferenceCheck.PythonModules("/usr/bin/python3", [new PythonModule("optuna", "python3-optuna", "Optuna's pruners, the reference")]),
        "the reference is Debian's Optuna 3.1") is { } missing)
{
    Console.Error.WriteLine(missing);
    return 3;
}

var sweep = SimulatedSweep.Generate(options.Seed, options.Trials, options.Epochs, options.Slots);
var full = (long)options.Trials * options.Epochs;
var finals = sweep.Curves.Select(c => c[^1]).ToList();
var best = SimulatedSweep.TrialId(finals.IndexOf(finals.Max()));
var asha = new StoppingPolicy { Rule = StoppingRule.Asha, Metric = "eval.psnr_cross", GraceEpochs = options.Grace, ReductionFactor = options.ReductionFactor };
var median = new StoppingPolicy { Rule = StoppingRule.Median, Metric = "eval.psnr_cross", GraceEpochs = options.Grace, MinTrials = options.MinTrials };

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"simulated sweep: {options.Trials} trials x {options.Epochs} epochs ({full:N0} trial-epochs in full), {options.Slots} slots, curves seed {options.Seed}; best configuration {best} (final {finals.Max():0.00})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"asha: grace {options.Grace}, reduction factor {options.ReductionFactor}; median: grace {options.Grace}, min trials {options.MinTrials}"));

var rows = new List<(string Rule, string Who, Dictionary<string, int> Pruned, TimeSpan Took)>();
foreach (var (name, policy) in new[] { ("asha", asha), ("median", median) })
{
    var clock = Stopwatch.StartNew();
    var members = Enumerable.Range(0, options.Trials).Select(i => new StoppingMember(SimulatedSweep.TrialId(i), SimulatedSweep.TrialId(i)));
    var (_, decisions) = StoppingJudge.Replay(policy, members, sweep.Events);
    var pruned = decisions.Where(d => d.Pruned).ToDictionary(d => d.TrialIds[0], d => d.Epoch, StringComparer.Ordinal);
    rows.Add((name, "SweepCluster", pruned, clock.Elapsed));
}

var cases = new JsonArray();
foreach (var (rule, policy) in new[] { ("asha", asha), ("median", median), ("median-running-average", median) })
{
    cases.Add(new JsonObject
    {
        ["rule"] = rule,
        ["maximize"] = true,
        ["grace"] = policy.GraceEpochs,
        ["reduction_factor"] = policy.ReductionFactor,
        ["min_trials"] = policy.MinTrials,
        ["events"] = new JsonArray([.. sweep.Events.Select(e => (JsonNode)new JsonArray(
            e.Kind == StoppingEventKind.Reported ? "report" : "complete", e.TrialId, e.Epoch, e.Value))]),
    });
}

var optunaClock = Stopwatch.StartNew();
var results = RunOptuna(cases.ToJsonString());
var optunaTook = optunaClock.Elapsed;
rows.Add(("asha", "Optuna SuccessiveHalvingPruner", results[0], optunaTook / 3));
rows.Add(("median", "Optuna MedianPruner", results[1], optunaTook / 3));
rows.Add(("median", "Optuna MedianPruner on running averages", results[2], optunaTook / 3));

Console.WriteLine();
Console.WriteLine("| rule | pruner | trials pruned | trial-epochs run | compute saved | best configuration kept | same decisions as ours |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var (rule, who, pruned, _) in rows)
{
    var run = Enumerable.Range(0, options.Trials).Sum(i => pruned.TryGetValue(SimulatedSweep.TrialId(i), out var epoch) ? epoch : (long)options.Epochs);
    var ours = rows.First(r => r.Rule == rule && r.Who == "SweepCluster").Pruned;
    var same = who == "SweepCluster" ? "-" : Same(ours, pruned) ? "yes" : $"no ({Differences(ours, pruned)} trials differ)";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {rule} | {who} | {pruned.Count:N0} | {run:N0} | {1 - ((double)run / full):P1} | {(pruned.ContainsKey(best) ? $"no (pruned at epoch {pruned[best]})" : "yes")} | {same} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"decision time: SweepCluster {rows[0].Took.TotalSeconds:0.00} s (asha) and {rows[1].Took.TotalSeconds:0.00} s (median); Optuna (in-memory storage, three cases) {optunaTook.TotalSeconds:0.0} s"));
return 0;

static bool Same(Dictionary<string, int> a, Dictionary<string, int> b) => Differences(a, b) == 0;

static int Differences(Dictionary<string, int> a, Dictionary<string, int> b) =>
    a.Keys.Union(b.Keys).Count(k => !(a.TryGetValue(k, out var x) && b.TryGetValue(k, out var y) && x == y));

static List<Dictionary<string, int>> RunOptuna(string input)
{
    var start = new ProcessStartInfo("/usr/bin/python3")
    {
        RedirectStandardInput = true,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        UseShellExecute = false,
    };
    start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Reference", "optuna_pruning.py"));
    using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start /usr/bin/python3");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    process.StandardInput.Write(input);
    process.StandardInput.Close();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"the Optuna reference failed ({process.ExitCode}); is python3-optuna installed (./build.sh deps)?\n{stderr.Result}");
    }

    return [.. JsonNode.Parse(stdout.Result)!.AsArray().Select(r => r!["pruned"]!.AsObject()
        .ToDictionary(p => p.Key, p => p.Value!.GetValue<int>(), StringComparer.Ordinal))];
}

internal sealed record Options(int Trials, int Epochs, int Slots, int Seed, int Grace, int ReductionFactor, int MinTrials)
{
    public static Options? Parse(string[] args)
    {
        var values = new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["--trials"] = 1000, ["--epochs"] = 27, ["--slots"] = 16, ["--seed"] = 1, ["--grace"] = 1, ["--reduction-factor"] = 3, ["--min-trials"] = 3,
        };
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!values.ContainsKey(args[i]) || i + 1 >= args.Length || !int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                return null;
            }

            values[args[i]] = value;
        }

        return values["--reduction-factor"] < 2 ? null : new Options(values["--trials"], values["--epochs"], values["--slots"], values["--seed"],
            values["--grace"], values["--reduction-factor"], values["--min-trials"]);
    }
}
