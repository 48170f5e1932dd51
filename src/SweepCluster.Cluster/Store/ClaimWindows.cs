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
}
