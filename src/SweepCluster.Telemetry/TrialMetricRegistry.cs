namespace SweepCluster.Telemetry;

/// <summary>
/// Holds the latest loss, PSNR and leakage of the most recently updated trials, for the per-trial gauges
/// <c>sweepcluster.trial.loss</c>, <c>sweepcluster.trial.psnr</c> and <c>sweepcluster.trial.leakage</c>.
/// </summary>
/// <remarks>
/// Per-trial series are unbounded in a long-lived coordinator, so the registry keeps at most
/// <see cref="Capacity"/> trials: updating a trial makes it the most recent, and adding a trial beyond the
/// capacity drops the trial updated longest ago (its series disappear from the next scrape). The test matrix
/// and the store keep every trial; these gauges are for watching live curves only.
/// Thread safety: every member may be called concurrently (the coordinator updates while exporters read).
/// </remarks>
public sealed class TrialMetricRegistry
{
    /// <summary>The default number of trials kept: the 500 most recently updated.</summary>
    public const int DefaultCapacity = 500;

    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _byTrial = new(StringComparer.Ordinal);
    // Most recently updated first.
    private readonly LinkedList<Entry> _recency = new();

    /// <summary>Creates a registry keeping at most <paramref name="capacity"/> trials.</summary>
    public TrialMetricRegistry(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most trials kept at once.</summary>
    public int Capacity { get; }

    /// <summary>The number of trials held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byTrial.Count;
            }
        }
    }

    /// <summary>Sets the latest value of one loss term (e.g. <c>cross</c> for the metric <c>loss.cross</c>).</summary>
    public void RecordLoss(string sweepId, string trialId, string configName, string term, double value)
    {
        ArgumentException.ThrowIfNullOrEmpty(term);
        Update(sweepId, trialId, configName, entry => entry.Losses[term] = value);
    }

    /// <summary>Sets the latest cross PSNR (dB).</summary>
    public void RecordPsnr(string sweepId, string trialId, string configName, double value) =>
        Update(sweepId, trialId, configName, entry => entry.Psnr = value);

    /// <summary>Sets the latest cross noise-leakage index.</summary>
    public void RecordLeakage(string sweepId, string trialId, string configName, double value) =>
        Update(sweepId, trialId, configName, entry => entry.Leakage = value);

    /// <summary>Forgets one trial's series (e.g. when its sweep is deleted). Returns whether it was held.</summary>
    public bool Remove(string trialId)
    {
        lock (_gate)
        {
            if (!_byTrial.Remove(trialId, out var node))
            {
                return false;
            }

            _recency.Remove(node);
            return true;
        }
    }

    /// <summary>A copy of the held trials, most recently updated first.</summary>
    public IReadOnlyList<TrialMetricSample> Snapshot()
    {
        lock (_gate)
        {
            var samples = new List<TrialMetricSample>(_recency.Count);
            foreach (var entry in _recency)
            {
                samples.Add(new TrialMetricSample(
                    entry.SweepId,
                    entry.TrialId,
                    entry.ConfigName,
                    new Dictionary<string, double>(entry.Losses, StringComparer.Ordinal),
                    entry.Psnr,
                    entry.Leakage));
            }

            return samples;
        }
    }

    private void Update(string sweepId, string trialId, string configName, Action<Entry> apply)
    {
        ArgumentException.ThrowIfNullOrEmpty(sweepId);
        ArgumentException.ThrowIfNullOrEmpty(trialId);
        ArgumentNullException.ThrowIfNull(configName);
        lock (_gate)
        {
            if (_byTrial.TryGetValue(trialId, out var node))
            {
                _recency.Remove(node);
                node.Value.SweepId = sweepId;
                node.Value.ConfigName = configName;
            }
            else
            {
                node = new LinkedListNode<Entry>(new Entry(sweepId, trialId, configName));
                _byTrial[trialId] = node;
            }

            apply(node.Value);
            _recency.AddFirst(node);
            while (_recency.Count > Capacity)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _byTrial.Remove(oldest.Value.TrialId);
            }
        }
    }

    private sealed class Entry(string sweepId, string trialId, string configName)
    {
        public string SweepId { get; set; } = sweepId;

        public string TrialId { get; } = trialId;

        public string ConfigName { get; set; } = configName;

        public Dictionary<string, double> Losses { get; } = new(StringComparer.Ordinal);

        public double? Psnr { get; set; }

        public double? Leakage { get; set; }
    }
}
