using System.Text.Json;

namespace SweepCluster.Fault.Tests;

/// <summary>One attempt as <c>GET /api/trials/{id}/attempts</c> returns it.</summary>
public sealed record AttemptView(int Number, string State, string SiloId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Error)
{
    public static AttemptView FromApi(JsonElement attempt) => new(
        attempt.GetProperty("number").GetInt32(),
        attempt.GetProperty("state").GetString()!,
        attempt.GetProperty("siloId").GetString()!,
        attempt.GetProperty("startedAt").GetDateTimeOffset(),
        attempt.GetProperty("endedAt").ValueKind == JsonValueKind.String ? attempt.GetProperty("endedAt").GetDateTimeOffset() : null,
        attempt.GetProperty("error").ValueKind == JsonValueKind.String ? attempt.GetProperty("error").GetString() : null);

    public override string ToString() => $"#{Number} {State} on {SiloId}{(Error is null ? string.Empty : $" ({Error})")}";
}
