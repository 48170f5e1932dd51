using System.Text.Json;

namespace SweepCluster.Silo.Processes;

/// <summary>
/// Parses one standard-output line of a trial child (docs/trial-protocol.md). Pure. A line that is
/// not a JSON object with a known <c>type</c> and its required fields is a log line (null).
/// </summary>
internal static class TrialEventParser
{
    public static TrialEvent? Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            return type.GetString() switch
            {
                "progress" => new ProgressEvent(Long(root, "step") ?? 0, Long(root, "steps"), Int(root, "epoch"), Int(root, "epochs"), Double(root, "eta_s")),
                "metric" when Long(root, "step") is { } step && Text(root, "name") is { } name && Double(root, "value") is { } value =>
                    new MetricEvent(step, Int(root, "epoch"), name, value, Text(root, "kind") ?? "step"),
                "checkpoint" when Text(root, "path") is { } path => new CheckpointEvent(path, Long(root, "step"), Int(root, "epoch")),
                "artifact" when Text(root, "path") is { } path => new ArtifactEvent(path, Text(root, "kind") ?? "file", Text(root, "name")),
                "summary" when root.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object => new SummaryEvent(summary.GetRawText()),
                "diverged" when Long(root, "step") is { } step && Text(root, "name") is { } name && Double(root, "value") is { } value =>
                    new DivergedEvent(step, Int(root, "epoch"), name, value),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;

    /// <summary>A number, or NaN/Infinity written as strings (a diverged loss).</summary>
    private static double? Double(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return null;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String => v.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => null,
            },
            _ => null,
        };
    }

    internal abstract record TrialEvent;

    internal sealed record ProgressEvent(long Step, long? Steps, int? Epoch, int? Epochs, double? EtaSeconds) : TrialEvent;

    internal sealed record MetricEvent(long Step, int? Epoch, string Name, double Value, string Kind) : TrialEvent;

    internal sealed record CheckpointEvent(string Path, long? Step, int? Epoch) : TrialEvent;

    internal sealed record ArtifactEvent(string Path, string Kind, string? Name) : TrialEvent;

    internal sealed record SummaryEvent(string SummaryJson) : TrialEvent;

    /// <summary>The loss <paramref name="Name"/> of step <paramref name="Step"/> became <paramref name="Value"/> (NaN or infinite): the trial diverged.</summary>
    internal sealed record DivergedEvent(long Step, int? Epoch, string Name, double Value) : TrialEvent;
}
