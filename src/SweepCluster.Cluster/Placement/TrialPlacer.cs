using System.Globalization;

namespace SweepCluster.Cluster.Placement;

/// <summary>
/// Places pending trials on free slots. Pure: the same inputs give the same plan, and nothing is
/// read or written outside the arguments.
/// </summary>
/// <remarks>
/// Trials are taken in queue order (priority, then first in first out). A trial that does not
/// fit now does not block smaller trials behind it (backfill): slots are never held idle for a
/// larger trial. A GPU trial takes <see cref="ResourceRequest.Gpus"/> GPU slots of one silo, each
/// with at least the requested memory, smallest sufficient GPUs first so large GPUs stay free for
/// trials that need them. A trial with no GPU request takes one slot, CPU slots first.
/// <para>Pending reasons say why, not how far back: a count of the trials ahead would change with
/// every claim and rewrite every waiting row each time (the queue position is computed when it is
/// read, see <see cref="InQueueOrder"/>).</para>
/// </remarks>
public sealed class TrialPlacer(PlacementPolicy policy)
{
    /// <summary>Why a trial that could run somewhere waits, when no free slot fits it and it needs no GPU.</summary>
    public const string WaitingForFreeSlot = "waiting for a free slot";

    public PlacementPolicy Policy { get; } = policy;

    /// <summary>Queue order: higher priority first, then earlier submission, then sweep order, then id.</summary>
    public static IReadOnlyList<PendingTrial> InQueueOrder(IEnumerable<PendingTrial> pending) =>
        [.. pending
            .OrderByDescending(t => t.Priority)
            .ThenBy(t => t.SubmittedAt)
            .ThenBy(t => t.OrderIndex)
            .ThenBy(t => t.TrialId, StringComparer.Ordinal)];

    /// <param name="pending">Trials waiting for slots, in any order.</param>
    /// <param name="freeSlots">Slots that may be handed out now.</param>
    /// <param name="clusterSlots">Every slot of every known silo, busy or free; decides whether a
    /// trial could ever fit, for the pending reasons. Free slots count as known even when missing here.</param>
    public PlacementPlan Place(IReadOnlyList<PendingTrial> pending, IReadOnlyList<PlacementSlot> freeSlots, IReadOnlyList<PlacementSlot> clusterSlots)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return PlaceInQueueOrder(InQueueOrder(pending), freeSlots, clusterSlots, withReasons: true);
    }

    /// <summary>
    /// <see cref="Place"/> for trials already in <see cref="InQueueOrder"/> (a caller that keeps its queue sorted need not
    /// sort it for every placement).
    /// </summary>
    /// <param name="withReasons">
    /// False: the plan gives no pending reasons, and the trials after the last free slot was handed out are not looked
    /// at (the placement after one slot fell free then costs what it places, not the length of the queue). The
    /// assignments are the same either way.
    /// </param>
    public PlacementPlan PlaceInQueueOrder(IEnumerable<PendingTrial> inQueueOrder, IReadOnlyList<PlacementSlot> freeSlots, IReadOnlyList<PlacementSlot> clusterSlots, bool withReasons)
    {
        ArgumentNullException.ThrowIfNull(inQueueOrder);
        ArgumentNullException.ThrowIfNull(freeSlots);
        ArgumentNullException.ThrowIfNull(clusterSlots);

        var capacity = clusterSlots
            .Concat(freeSlots)
            .DistinctBy(s => (s.SiloId, s.SlotId))
            .GroupBy(s => s.SiloId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var free = freeSlots
            .DistinctBy(s => (s.SiloId, s.SlotId))
            .GroupBy(s => s.SiloId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var freeCount = free.Values.Sum(slots => slots.Count);

        var assignments = new List<Assignment>();
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        // Reasons depend on the request and the slots only: trials asking the same wait for the same reason.
        var impossible = new Dictionary<RequestKey, string?>();
        var notNow = new Dictionary<RequestKey, string>();
        if (!withReasons && freeCount == 0)
        {
            return new PlacementPlan(assignments, reasons);
        }

        foreach (var trial in inQueueOrder)
        {
            var key = withReasons ? RequestKey.Of(trial.Resources) : default;
            string? never;
            if (!withReasons)
            {
                never = null;
            }
            else if (!impossible.TryGetValue(key, out never))
            {
                never = Impossible(trial.Resources, capacity);
                impossible[key] = never;
            }

            if (never is not null)
            {
                reasons[trial.TrialId] = never;
                continue;
            }

            if (freeCount > 0 && TryPlace(trial, free) is { } assignment)
            {
                assignments.Add(assignment);
                foreach (var slot in assignment.Slots)
                {
                    free[assignment.SiloId].Remove(slot);
                }

                freeCount -= assignment.Slots.Count;
                if (!withReasons && freeCount == 0)
                {
                    break;
                }

                // The free slots changed: so may the reasons of the trials behind.
                notNow.Clear();
                continue;
            }

            if (withReasons)
            {
                if (!notNow.TryGetValue(key, out var reason))
                {
                    reason = NotNow(trial.Resources, free);
                    notNow[key] = reason;
                }

                reasons[trial.TrialId] = reason;
            }
        }

        return new PlacementPlan(assignments, reasons);
    }

    private Assignment? TryPlace(PendingTrial trial, Dictionary<string, List<PlacementSlot>> free)
    {
        var request = trial.Resources;
        var candidates = new List<(string SiloId, List<PlacementSlot> Slots, int FreeCount)>();
        foreach (var (siloId, slots) in free)
        {
            if (slots.Count == 0 || !HasLabels(slots[0].SiloLabels, request.Labels))
            {
                continue;
            }

            var chosen = request.Gpus > 0
                ? slots.Where(s => s.IsGpu && s.GpuMemoryGiB >= request.GpuMemoryGiB)
                    .OrderBy(s => s.GpuMemoryGiB)
                    .ThenBy(s => s.GpuIndex)
                    .Take(request.Gpus)
                    .ToList()
                : slots.OrderBy(s => s.IsGpu)
                    .ThenBy(s => s.GpuMemoryGiB)
                    .ThenBy(s => s.SlotId, StringComparer.Ordinal)
                    .Take(1)
                    .ToList();
            if (chosen.Count == Math.Max(1, request.Gpus))
            {
                candidates.Add((siloId, chosen, slots.Count));
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        var best = Policy == PlacementPolicy.Pack
            ? candidates.OrderBy(c => c.FreeCount).ThenBy(c => c.SiloId, StringComparer.Ordinal).First()
            : candidates.OrderByDescending(c => c.FreeCount).ThenBy(c => c.SiloId, StringComparer.Ordinal).First();
        return new Assignment(trial.TrialId, best.SiloId, best.Slots);
    }

    /// <summary>Why a trial can never run on the silos known now; null when some silo could take it.</summary>
    private static string? Impossible(ResourceRequest request, Dictionary<string, List<PlacementSlot>> capacity)
    {
        if (capacity.Count == 0)
        {
            return "waiting for a trainer silo to join the cluster";
        }

        foreach (var (key, value) in request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            if (!capacity.Values.Any(slots => HasLabel(slots[0].SiloLabels, key, value)))
            {
                return $"needs label {key}={value}: no silo has it";
            }
        }

        var matching = capacity.Values.Where(slots => HasLabels(slots[0].SiloLabels, request.Labels)).ToList();
        if (matching.Count == 0)
        {
            return $"needs labels {FormatLabels(request.Labels)}: no single silo has them all";
        }

        if (request.Gpus == 0)
        {
            return null;
        }

        var largestSilo = matching.Max(slots => slots.Count(s => s.IsGpu));
        if (largestSilo < request.Gpus)
        {
            return largestSilo == 0
                ? $"needs {Gpus(request.Gpus)} but no silo{LabelSuffix(request)} has a GPU"
                : $"needs {Gpus(request.Gpus)} but the largest silo{LabelSuffix(request)} has {largestSilo}";
        }

        var largestGpu = matching.SelectMany(slots => slots).Where(s => s.IsGpu).Max(s => s.GpuMemoryGiB);
        if (largestGpu < request.GpuMemoryGiB)
        {
            return $"needs {Gib(request.GpuMemoryGiB)} GiB GPU memory; the largest GPU{LabelSuffix(request)} has {Gib(largestGpu)} GiB";
        }

        var bestSilo = matching.Max(slots => slots.Count(s => s.IsGpu && s.GpuMemoryGiB >= request.GpuMemoryGiB));
        if (bestSilo < request.Gpus)
        {
            return $"needs {Gpus(request.Gpus)} with {Gib(request.GpuMemoryGiB)} GiB each on one silo; the best silo has {bestSilo}";
        }

        return null;
    }

    /// <summary>Why a trial that could run somewhere does not run now.</summary>
    private static string NotNow(ResourceRequest request, Dictionary<string, List<PlacementSlot>> free)
    {
        if (request.Gpus > 0)
        {
            var freeGpus = free.Values
                .Where(slots => slots.Count > 0 && HasLabels(slots[0].SiloLabels, request.Labels))
                .SelectMany(slots => slots)
                .Where(s => s.IsGpu)
                .ToList();
            if (freeGpus.Count > 0)
            {
                var largestFree = freeGpus.Max(s => s.GpuMemoryGiB);
                if (largestFree < request.GpuMemoryGiB)
                {
                    return $"needs {Gib(request.GpuMemoryGiB)} GiB GPU memory; largest free is {Gib(largestFree)} GiB";
                }

                if (request.Gpus > 1)
                {
                    var mostOnOneSilo = freeGpus
                        .Where(s => s.GpuMemoryGiB >= request.GpuMemoryGiB)
                        .GroupBy(s => s.SiloId, StringComparer.Ordinal)
                        .Max(g => g.Count());
                    return $"needs {Gpus(request.Gpus)} on one silo; at most {mostOnOneSilo} free on any silo";
                }
            }
        }

        return WaitingForFreeSlot;
    }

    private static bool HasLabels(IReadOnlyDictionary<string, string> siloLabels, IReadOnlyDictionary<string, string> required) =>
        required.All(r => HasLabel(siloLabels, r.Key, r.Value));

    private static bool HasLabel(IReadOnlyDictionary<string, string> siloLabels, string key, string value) =>
        siloLabels.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);

    private static string LabelSuffix(ResourceRequest request) =>
        request.Labels.Count == 0 ? string.Empty : $" with {FormatLabels(request.Labels)}";

    private static string FormatLabels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static string Gpus(int count) => count == 1 ? "1 GPU" : $"{count} GPUs";

    private static string Gib(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A request as the reasons see it: labels compared by content, not by dictionary instance.</summary>
    private readonly record struct RequestKey(int Gpus, double GpuMemoryGiB, string Labels)
    {
        public static RequestKey Of(ResourceRequest request) =>
            new(request.Gpus, request.GpuMemoryGiB, request.Labels.Count == 0 ? string.Empty : FormatLabels(request.Labels));
    }
}
