using System.Text.Json;

namespace SweepCluster.Fault.Tests;

/// <summary>One stored metric point as <c>GET /api/trials/{id}/metrics</c> returns it (or a trial child prints it, attempt 0).</summary>
public sealed record MetricPointRecord(int Attempt, long Step, string Name, double Value, string Kind, int? Epoch, DateTimeOffset? RecordedAt)
{
    /// <summary>Reads the coordinator's camelCase JSON record.</summary>
    public static MetricPointRecord FromApi(JsonElement point) => new(
        point.GetProperty("attempt").GetInt32(),
        point.GetProperty("step").GetInt64(),
        point.GetProperty("name").GetString()!,
        ReadValue(point.GetProperty("value")),
        point.GetProperty("kind").GetString()!,
        ReadEpoch(point),
        point.GetProperty("recordedAt").GetDateTimeOffset());

    /// <summary>Reads a <c>metric</c> event of the trial process protocol (docs/trial-protocol.md); null for other lines.</summary>
    public static MetricPointRecord? FromTrialEvent(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.GetProperty("type").GetString() != "metric")
        {
            return null;
        }

        return new MetricPointRecord(0, root.GetProperty("step").GetInt64(), root.GetProperty("name").GetString()!,
            ReadValue(root.GetProperty("value")), root.GetProperty("kind").GetString()!, ReadEpoch(root), null);
    }

    private static int? ReadEpoch(JsonElement point) =>
        point.TryGetProperty("epoch", out var epoch) && epoch.ValueKind == JsonValueKind.Number ? epoch.GetInt32() : null;

    // NaN and infinities travel as strings (a diverged loss is a value).
    private static double ReadValue(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? double.Parse(value.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : value.GetDouble();
}
