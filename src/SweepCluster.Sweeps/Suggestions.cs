namespace SweepCluster.Sweeps;

/// <summary>"Did you mean" by Levenshtein distance.</summary>
internal static class Suggestions
{
    public static string? Closest(string given, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Levenshtein(given, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        // Beyond this distance a suggestion is noise rather than help.
        var limit = Math.Max(2, given.Length / 2);
        return bestDistance <= limit ? best : null;
    }

    /// <summary>"; did you mean `x`?" or an empty string.</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates)
    {
        var closest = Closest(given, candidates);
        return closest is null ? string.Empty : $"; did you mean `{closest}`?";
    }

    public static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
