using System.Collections.Immutable;
using System.Globalization;

namespace SweepCluster.Cluster.EarlyStopping;

/// <summary>
/// The early-stopping rules, pure: <see cref="StoppingEvent"/>s in arrival order in, <see cref="StoppingDecision"/>s
/// out. No I/O, no clock: the sweep grain keeps the events it applied and rebuilds its judge by replaying them
/// (<see cref="Replay"/>), so a decision is reproduced from the recorded values and their order.
/// </summary>
/// <remarks>
/// <para>
/// Configurations are judged, not seeds: a configuration's value at an epoch is the mean of its seeds' values there,
/// known once every seed still in the sweep (not withdrawn) reported that epoch, and a pruned configuration stops all
/// its seeds. A seed that reported waits for nothing: it trains on while its siblings catch up. Trials that are not
/// members (a row that opted out, reference trials) are neither judged nor compared with.
/// </para>
/// <para>
/// <b>asha</b> (Li et al., "A System for Massively Parallel Hyperparameter Tuning"): rung k at epoch
/// <c>grace * reduction_factor^k</c>. A configuration reaching a rung goes on only if its value is at least the
/// <c>max(1, n / reduction_factor)</c>-th best of the n values recorded at that rung so far, its own included; else it
/// is pruned. Nobody waits for a rung to fill, so the first configurations at a rung go on unless they are worse than
/// those before them. This is Optuna's <c>SuccessiveHalvingPruner</c> with <c>min_resource = grace</c>,
/// <c>min_early_stopping_rate = 0</c>.
/// </para>
/// <para>
/// <b>median</b> (Google Vizier): from epoch <c>grace</c> on, a configuration whose best value so far is strictly worse
/// than the median of the running averages (mean of epochs 1..e) of the completed configurations at epoch e is pruned;
/// nothing is judged before <c>min_trials</c> completed configurations reported e. Optuna's <c>MedianPruner</c> takes
/// the completed trials' values at e instead of their running averages (docs/sweep-file.md says why we do not).
/// </para>
/// </remarks>
public sealed class StoppingJudge
{
    private readonly StoppingPolicy _policy;
    private readonly Dictionary<string, Configuration> _byTrial = new(StringComparer.Ordinal);
    private readonly List<Configuration> _configurations = [];
    private readonly Dictionary<int, List<double>> _rungs = [];

    public StoppingJudge(StoppingPolicy policy, IEnumerable<StoppingMember> members)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(members);
        _policy = policy;
        var byKey = new Dictionary<string, Configuration>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (_byTrial.ContainsKey(member.TrialId))
            {
                continue;
            }

            if (!byKey.TryGetValue(member.ConfigKey, out var configuration))
            {
                configuration = new Configuration(member.ConfigKey);
                byKey[member.ConfigKey] = configuration;
                _configurations.Add(configuration);
            }

            configuration.Seeds.Add(member.TrialId);
            configuration.Live.Add(member.TrialId);
            _byTrial[member.TrialId] = configuration;
        }
    }

    public StoppingPolicy Policy => _policy;

    /// <summary>Rebuilds a judge from its log, and returns the decisions the log led to, in order.</summary>
    public static (StoppingJudge Judge, IReadOnlyList<StoppingDecision> Decisions) Replay(
        StoppingPolicy policy, IEnumerable<StoppingMember> members, IEnumerable<StoppingEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var judge = new StoppingJudge(policy, members);
        var decisions = new List<StoppingDecision>();
        foreach (var e in events)
        {
            decisions.AddRange(judge.Observe(e));
        }

        return (judge, decisions);
    }

    /// <summary>Whether the trial is judged (a member of the sweep's early stopping).</summary>
    public bool IsMember(string trialId) => _byTrial.ContainsKey(trialId);

    /// <summary>The decision that pruned the trial's configuration, or null while it goes on.</summary>
    public StoppingDecision? PruneOf(string trialId) => _byTrial.TryGetValue(trialId, out var c) ? c.Pruned : null;

    /// <summary>
    /// Applies one event and returns the decisions it led to: none (nothing judged, or a repeat), configurations that
    /// went on past a rung or a median check, and at most one prune. Events of a pruned configuration change nothing.
    /// A value repeated for an epoch already recorded (a resumed attempt reporting it again) is ignored: the first wins.
    /// </summary>
    public IReadOnlyList<StoppingDecision> Observe(StoppingEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!_byTrial.TryGetValue(e.TrialId, out var configuration) || configuration.Pruned is not null)
        {
            return [];
        }

        switch (e.Kind)
        {
            case StoppingEventKind.Reported:
                if (!configuration.Live.Contains(e.TrialId))
                {
                    return [];
                }

                var values = configuration.Values.TryGetValue(e.TrialId, out var v) ? v : configuration.Values[e.TrialId] = [];
                if (!values.TryAdd(e.Epoch, e.Value))
                {
                    return [];
                }

                return Advance(configuration);
            case StoppingEventKind.Completed:
                configuration.Completed.Add(e.TrialId);
                return [];
            default:
                if (!configuration.Live.Remove(e.TrialId))
                {
                    return [];
                }

                configuration.Values.Remove(e.TrialId);
                configuration.Completed.Remove(e.TrialId);
                return configuration.Live.Count == 0 ? [] : Advance(configuration);
        }
    }

    /// <summary>Judges every epoch that every live seed has now reported, lowest first, until one prunes.</summary>
    private List<StoppingDecision> Advance(Configuration c)
    {
        var decisions = new List<StoppingDecision>();
        var epochs = c.Values.TryGetValue(c.Live.First(), out var first) ? first.Keys.Where(k => !c.Mean.ContainsKey(k)).ToList() : [];
        foreach (var epoch in epochs)
        {
            if (!c.Live.All(t => c.Values.TryGetValue(t, out var seedValues) && seedValues.ContainsKey(epoch)))
            {
                continue;
            }

            c.Mean[epoch] = c.Live.Average(t => c.Values[t][epoch]);
            decisions.AddRange(_policy.Rule == StoppingRule.Asha ? JudgeRungs(c, epoch) : JudgeMedian(c, epoch));
            if (c.Pruned is not null)
            {
                break;
            }
        }

        return decisions;
    }

    private List<StoppingDecision> JudgeRungs(Configuration c, int epoch)
    {
        var decisions = new List<StoppingDecision>();
        var value = c.Mean[epoch];
        while (epoch >= _policy.RungEpoch(c.Rung))
        {
            if (double.IsNaN(value))
            {
                decisions.Add(Prune(c, epoch, string.Create(CultureInfo.InvariantCulture, $"pruned at epoch {epoch}: {_policy.Metric} is NaN")));
                return decisions;
            }

            var competing = _rungs.TryGetValue(c.Rung, out var list) ? list : _rungs[c.Rung] = [];
            competing.Add(value);
            var sorted = competing.Order().ToList();
            var index = Math.Max(1, sorted.Count / _policy.ReductionFactor) - 1;
            var cut = _policy.Maximize ? sorted[sorted.Count - 1 - index] : sorted[index];
            var kept = _policy.Maximize ? value >= cut : value <= cut;
            var rungNumber = c.Rung;
            var where = string.Create(CultureInfo.InvariantCulture,
                $"(cut {F(cut)}, {sorted.Count} {(sorted.Count == 1 ? "configuration" : "configurations")} at this rung{SeedNote(c)})");
            if (!kept)
            {
                decisions.Add(Prune(c, epoch, string.Create(CultureInfo.InvariantCulture,
                    $"pruned at epoch {epoch}: {_policy.Metric} {F(value)} is {(_policy.Maximize ? "below" : "above")} the rung's top {Fraction(_policy.ReductionFactor)} {where}")));
                return decisions;
            }

            c.Rung++;
            decisions.Add(Continue(c, epoch, string.Create(CultureInfo.InvariantCulture,
                $"continued past rung {rungNumber} (epoch {_policy.RungEpoch(rungNumber)}): {_policy.Metric} {F(value)} is in the rung's top {Fraction(_policy.ReductionFactor)} {where}")));
        }

        return decisions;
    }

    private List<StoppingDecision> JudgeMedian(Configuration c, int epoch)
    {
        if (epoch < _policy.GraceEpochs)
        {
            return [];
        }

        var averages = new List<double>();
        foreach (var other in _configurations)
        {
            if (ReferenceEquals(other, c) || !other.IsCompleted || !other.Mean.ContainsKey(epoch))
            {
                continue;
            }

            if (other.RunningAverages().TryGetValue(epoch, out var average))
            {
                averages.Add(average);
            }
        }

        if (averages.Count < _policy.MinTrials)
        {
            return [];
        }

        var median = Median(averages);
        var own = c.Mean.Where(m => m.Key <= epoch).Select(m => m.Value).Where(x => !double.IsNaN(x)).ToList();
        if (own.Count == 0)
        {
            return [Prune(c, epoch, string.Create(CultureInfo.InvariantCulture, $"pruned at epoch {epoch}: {_policy.Metric} is NaN"))];
        }

        var best = _policy.Maximize ? own.Max() : own.Min();
        var worse = _policy.Maximize ? best < median : best > median;
        var against = string.Create(CultureInfo.InvariantCulture,
            $"the median {F(median)} of {averages.Count} completed configurations' running averages at epoch {epoch}{SeedNote(c)}");
        return worse
            ? [Prune(c, epoch, string.Create(CultureInfo.InvariantCulture,
                $"pruned at epoch {epoch}: best {_policy.Metric} {F(best)} is {(_policy.Maximize ? "below" : "above")} {against}"))]
            : [Continue(c, epoch, string.Create(CultureInfo.InvariantCulture,
                $"continued at epoch {epoch}: best {_policy.Metric} {F(best)} is not {(_policy.Maximize ? "below" : "above")} {against}"))];
    }

    /// <summary>numpy's default percentile 50: linear between the two middle values.</summary>
    internal static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToList();
        var position = (sorted.Count - 1) * 0.5;
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return sorted[low] + ((sorted[high] - sorted[low]) * (position - low));
    }

    private StoppingDecision Prune(Configuration c, int epoch, string reason)
    {
        c.Pruned = new StoppingDecision(c.Key, [.. c.Seeds], epoch, Pruned: true, reason, _policy.Rule);
        return c.Pruned;
    }

    private StoppingDecision Continue(Configuration c, int epoch, string reason) =>
        new(c.Key, [.. c.Seeds], epoch, Pruned: false, reason, _policy.Rule);

    private static string SeedNote(Configuration c) =>
        c.Live.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"; the mean of {c.Live.Count} seeds") : string.Empty;

    private static string F(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Fraction(int factor) => factor switch
    {
        2 => "half",
        3 => "third",
        4 => "quarter",
        _ => string.Create(CultureInfo.InvariantCulture, $"1/{factor}"),
    };

    private sealed class Configuration(string key)
    {
        private Dictionary<int, double>? _averages;
        private int _averagesOf;

        public string Key { get; } = key;

        public List<string> Seeds { get; } = [];

        public HashSet<string> Live { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Completed { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, SortedDictionary<int, double>> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>The mean over the live seeds, at each epoch all of them reported.</summary>
        public SortedDictionary<int, double> Mean { get; } = [];

        /// <summary>asha: the next rung to pass.</summary>
        public int Rung { get; set; }

        public StoppingDecision? Pruned { get; set; }

        public bool IsCompleted => Live.Count > 0 && Live.All(Completed.Contains);

        /// <summary>
        /// The running average (mean of the non-NaN values of epochs 1..e) at each epoch of <see cref="Mean"/>; kept until the
        /// means change, since the median rule reads a completed configuration's at every judgement.
        /// </summary>
        public IReadOnlyDictionary<int, double> RunningAverages()
        {
            if (_averages is not null && _averagesOf == Mean.Count)
            {
                return _averages;
            }

            var averages = new Dictionary<int, double>();
            var (sum, count) = (0.0, 0);
            foreach (var (epoch, value) in Mean)
            {
                if (!double.IsNaN(value))
                {
                    sum += value;
                    count++;
                }

                if (count > 0)
                {
                    averages[epoch] = sum / count;
                }
            }

            (_averages, _averagesOf) = (averages, Mean.Count);
            return averages;
        }
    }
}
