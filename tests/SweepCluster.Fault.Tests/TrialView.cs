using System.Text.Json;

namespace SweepCluster.Fault.Tests;

/// <summary>The fields of a trial in <c>GET /api/sweeps/{id}</c> that the fault tests watch.</summary>
public sealed record TrialView(
    string Id,
    string ConfigName,
    string State,
    int CurrentAttempt,
    string? LastCheckpointArtifactId,
    int? AttemptNumber,
    string? AttemptState,
    string? AttemptSiloId,
    int? ProgressEpoch,
    long? ProgressStep)
{
    public static IReadOnlyList<TrialView> ListFromSweep(JsonElement sweep) =>
        [.. sweep.GetProperty("trials").EnumerateArray().Select(FromApi)];

    public static TrialView FromApi(JsonElement trial)
    {
        var attempt = trial.GetProperty("attempt");
        var hasAttempt = attempt.ValueKind == JsonValueKind.Object;
        var progress = hasAttempt && attempt.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        return new TrialView(
            trial.GetProperty("id").GetString()!,
            trial.GetProperty("configName").GetString()!,
            trial.GetProperty("state").GetString()!,
            trial.GetProperty("currentAttempt").GetInt32(),
            trial.GetProperty("lastCheckpointArtifactId").ValueKind == JsonValueKind.String ? trial.GetProperty("lastCheckpointArtifactId").GetString() : null,
            hasAttempt ? attempt.GetProperty("number").GetInt32() : null,
            hasAttempt ? attempt.GetProperty("state").GetString() : null,
            hasAttempt ? attempt.GetProperty("siloId").GetString() : null,
            progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("epoch", out var epoch) && epoch.ValueKind == JsonValueKind.Number ? epoch.GetInt32() : null,
            progress.ValueKind == JsonValueKind.Object && progress.TryGetProperty("step", out var step) && step.ValueKind == JsonValueKind.Number ? step.GetInt64() : null);
    }

    public bool IsRunning => State == "running";

    public bool HasSucceeded => State == "succeeded";

    public bool IsFinished => State is "succeeded" or "failed" or "cancelled" or "pruned";

    public override string ToString() =>
        $"{Id} {ConfigName} {State} attempt {CurrentAttempt} ({AttemptState} on {AttemptSiloId}, epoch {ProgressEpoch}, step {ProgressStep}) checkpoint {LastCheckpointArtifactId ?? "none"}";
}
