namespace SweepCluster.Coordinator.Hosting;

/// <summary>Validation errors of a request body, keyed by the field's JSON path (for example <c>trials[2].maxAttempts</c>).</summary>
internal sealed class BodyErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
    }

    /// <summary>Adds "is required" when <paramref name="value"/> is null or blank; true when present.</summary>
    public bool Require(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, $"{field} is required.");
            return false;
        }

        return true;
    }

    public bool Require<T>(string field, T? value)
        where T : struct
    {
        if (value is null)
        {
            Add(field, $"{field} is required.");
            return false;
        }

        return true;
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
