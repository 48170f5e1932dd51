using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>Trials: one trial, its metric points, attempts, artifacts and artifact bytes. User role.</summary>
public static class TrialsApi
{
    public static IEndpointRouteBuilder MapTrialsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/trials/{trialId}").RequireAuthorization(CoordinatorRoles.User).WithTags("Trials");
        group.MapGet("/", GetAsync);
        group.MapGet("/metrics", GetMetricsAsync);
        group.MapGet("/attempts", GetAttemptsAsync);
        group.MapGet("/artifacts", GetArtifactsAsync);
        group.MapGet("/artifacts/{artifactId}", GetArtifactContentAsync);
        return app;
    }

    internal static async Task<Results<Ok<TrialDto>, ProblemHttpResult>> GetAsync(string trialId, CoordinatorCore core, CancellationToken cancellationToken) =>
        await core.GetTrialAsync(trialId, cancellationToken) is { } trial
            ? TypedResults.Ok(ContractMapper.ToDto(trial, withConfig: true))
            : Missing(trialId);

    internal static async Task<Results<Ok<IReadOnlyList<MetricRecordDto>>, ProblemHttpResult>> GetMetricsAsync(string trialId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        if (await core.GetTrialAsync(trialId, cancellationToken) is null)
        {
            return Missing(trialId);
        }

        var points = await core.GetMetricPointsAsync(trialId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<MetricRecordDto>>([.. points.Select(ContractMapper.ToDto)]);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AttemptDto>>, ProblemHttpResult>> GetAttemptsAsync(string trialId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        if (await core.GetTrialAsync(trialId, cancellationToken) is null)
        {
            return Missing(trialId);
        }

        var attempts = await core.ListAttemptsAsync(trialId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<AttemptDto>>([.. attempts.Select(ContractMapper.ToDto)]);
    }

    internal static async Task<Results<Ok<IReadOnlyList<ArtifactDto>>, ProblemHttpResult>> GetArtifactsAsync(string trialId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        if (await core.GetTrialAsync(trialId, cancellationToken) is null)
        {
            return Missing(trialId);
        }

        var artifacts = await core.ListArtifactsAsync(trialId, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ArtifactDto>>([.. artifacts.Select(ContractMapper.ToDto)]);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetArtifactContentAsync(
        string trialId, string artifactId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        var outcome = await core.GetArtifactAsync(artifactId, cancellationToken);
        if (!outcome.IsAccepted || !string.Equals(outcome.Value.Info.TrialId, trialId, StringComparison.Ordinal))
        {
            return Problems.NotFound($"Trial {trialId} has no artifact {artifactId}.");
        }

        // The artifact's name is not offered as a file name: it came from a silo and is display text only.
        return TypedResults.File(outcome.Value.Content.ToArray(), "application/octet-stream");
    }

    private static ProblemHttpResult Missing(string trialId) => Problems.NotFound($"Trial {trialId} does not exist.");
}
