namespace SweepCluster.Fault.Tests;

/// <summary>
/// The reading rule for a trial's metrics after faults: for every (step, name), the point of the
/// latest attempt that reported it. A resumed attempt re-reports the steps after its checkpoint,
/// and those values replace the ones the lost attempt sent before it died. Pure.
/// </summary>
public static class LatestAttemptMetrics
{
    /// <summary>The latest-attempt point of every (step, name).</summary>
    public static IReadOnlyDictionary<(long Step, string Name), MetricPointRecord> Resolve(IEnumerable<MetricPointRecord> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var latest = new Dictionary<(long Step, string Name), MetricPointRecord>();
        foreach (var point in points)
        {
            var key = (point.Step, point.Name);
            if (!latest.TryGetValue(key, out var seen) || point.Attempt > seen.Attempt)
            {
                latest[key] = point;
            }
        }

        return latest;
    }

    /// <summary>(attempt, step, name) keys stored more than once: a retried report that was not idempotent.</summary>
    public static IReadOnlyList<(int Attempt, long Step, string Name)> Duplicates(IEnumerable<MetricPointRecord> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return [.. points.GroupBy(p => (p.Attempt, p.Step, p.Name)).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(k => k.Attempt).ThenBy(k => k.Step).ThenBy(k => k.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Differences between a trial's latest-attempt metrics and a reference run of the same
    /// configuration: (step, name) keys missing on either side, and values further apart than
    /// <paramref name="tolerance"/> (relative to the larger magnitude, absolute below 1). Empty when they agree.
    /// Wall-clock measurements (<c>time.*</c>, <c>gpu.*</c>) must be present but are not deterministic, so their
    /// values are not compared.
    /// </summary>
    public static IReadOnlyList<string> Compare(
        IReadOnlyDictionary<(long Step, string Name), MetricPointRecord> actual,
        IReadOnlyDictionary<(long Step, string Name), MetricPointRecord> reference,
        double tolerance)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(reference);
        var differences = new List<string>();
        foreach (var key in reference.Keys.Except(actual.Keys).OrderBy(k => k.Step).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            differences.Add($"missing step {key.Step} {key.Name}");
        }

        foreach (var key in actual.Keys.Except(reference.Keys).OrderBy(k => k.Step).ThenBy(k => k.Name, StringComparer.Ordinal))
        {
            differences.Add($"extra step {key.Step} {key.Name} (attempt {actual[key].Attempt})");
        }

        foreach (var (key, expected) in reference.OrderBy(p => p.Key.Step).ThenBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            if (!actual.TryGetValue(key, out var got))
            {
                continue;
            }

            if (IsWallClock(key.Name))
            {
                continue;
            }

            var a = got.Value;
            var b = expected.Value;
            var same = (double.IsNaN(a) && double.IsNaN(b)) || a.Equals(b)
                || Math.Abs(a - b) <= tolerance * Math.Max(1.0, Math.Max(Math.Abs(a), Math.Abs(b)));
            if (!same)
            {
                differences.Add($"step {key.Step} {key.Name}: {a:R} (attempt {got.Attempt}) vs reference {b:R}");
            }
        }

        return differences;
    }

    private static bool IsWallClock(string name) =>
        name.StartsWith("time.", StringComparison.Ordinal) || name.StartsWith("gpu.", StringComparison.Ordinal);
}
