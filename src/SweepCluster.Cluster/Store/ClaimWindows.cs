using SweepCluster.Cluster.Lifecycle;

namespace SweepCluster.Cluster.Store;

/// <summary>
/// How much of the queue's head a claim offers its plan, and how it widens when the plan leases
/// none of it. A claim reads (on PostgreSQL: locks) every trial it offers, so offering the whole
/// queue to a silo with one free slot would make each claim cost as much as the queue is long.
/// </summary>
public static class ClaimWindows
{
    /// <summary>The widest window short of the whole queue.</summary>
    public const int Widest = 4096;

    /// <summary>
    /// The window sizes to try in turn for <paramref name="slots"/> free slots: twice the slots (at
    /// least 2, at most 64), then eight times wider each step up to <see cref="Widest"/>; null
    /// means every pending trial.
    /// </summary>
    public static IEnumerable<int?> For(int slots)
    {
        var window = Math.Clamp(2 * slots, 2, 64);
        while (window < Widest)
        {
            yield return window;
            window *= 8;
        }

        yield return Widest;
        yield return null;
    }

    /// <summary>
    /// Offers <paramref name="plan"/> the head of the queue, window by window (see <see cref="For"/>), until it
    /// leases something or the queue has nothing more; returns the last offer and what the plan made of it.
    /// </summary>
    /// <param name="readHead">Reads that many pending trials from the head of the queue (null: all of them).</param>
    public static async Task<(List<TrialSnapshot> Offered, ClaimPlan Plan)> DecideAsync(
        int slots, Func<int?, Task<List<TrialSnapshot>>> readHead, Func<IReadOnlyList<TrialSnapshot>, ClaimPlan> plan)
    {
        ArgumentNullException.ThrowIfNull(readHead);
        ArgumentNullException.ThrowIfNull(plan);
        List<TrialSnapshot> offered = [];
        var decided = new ClaimPlan([], new Dictionary<string, string>());
        foreach (var window in For(slots))
        {
            offered = await readHead(window);
            decided = plan(offered);
            if (decided.Leases.Count > 0 || offered.Count < window.GetValueOrDefault(int.MaxValue))
            {
                break;
            }
        }

        return (offered, decided);
    }
}
