using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Cluster.EarlyStopping;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Placement;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>Sweeps: submit (a new sweep, or a new revision of a stored one), list, read one with its trials, cancel. User role.</summary>
public static class SweepsApi
{
    /// <summary>Largest number of attempts a trial may ask for.</summary>
    public const int MaxAttemptsLimit = 100;

    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/sweeps").RequireAuthorization(CoordinatorRoles.User).WithTags("Sweeps");
        group.MapPost("/", SubmitAsync);
        group.MapGet("/", ListAsync);
        group.MapGet("/{sweepId}", GetAsync);
        group.MapPost("/{sweepId}/cancel", CancelAsync);
        return app;
    }

    internal static async Task<Results<Created<SubmitSweepResponse>, Ok<SubmitSweepResponse>, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, CoordinatorCore core, TimeProvider time, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<SubmitSweepRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        var sweep = ToSweep(body!.Sweep, time, errors);
        var trials = ToTrials(body.Trials, errors);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await core.SubmitSweepAsync(sweep!, trials, cancellationToken);
        if (!outcome.IsAccepted)
        {
            return Problems.From(outcome.Refusal);
        }

        var result = outcome.Value;
        var answer = new SubmitSweepResponse(sweep!.Id, result.SweepAdded, result.TrialsAdded, result.TrialsKept, result.Revision, result.PreviousRevision,
            result.TrialsRemoved, result.TrialsCancelled, result.TrialsElsewhere, result.Changes, result.Describe());
        return result.SweepAdded
            ? TypedResults.Created($"/api/sweeps/{Uri.EscapeDataString(sweep.Id)}", answer)
            : TypedResults.Ok(answer);
    }

    internal static async Task<Ok<IReadOnlyList<SweepSummaryDto>>> ListAsync(CoordinatorCore core, CancellationToken cancellationToken)
    {
        var sweeps = await core.ListSweepsAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SweepSummaryDto>>([.. sweeps.Select(ContractMapper.ToDto)]);
    }

    internal static async Task<Results<Ok<SweepDetailDto>, ProblemHttpResult>> GetAsync(string sweepId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        var sweep = await core.GetSweepAsync(sweepId, cancellationToken);
        if (sweep is null)
        {
            return Problems.NotFound($"Sweep {sweepId} does not exist.");
        }

        var all = await core.ListTrialsAsync(sweepId, cancellationToken);
        var trials = all.Where(t => t.Snapshot.RemovedInRevision is null).ToList();
        // The queue position is worked out here, when it is read: stored, it would change with every placement.
        var ahead = TrialPlacer.InQueueOrder(trials
                .Where(t => t.Snapshot.State == TrialState.Pending)
                .Select(t => new PendingTrial(t.Snapshot.Id, t.Definition.Resources, t.Snapshot.Priority, t.Snapshot.SubmittedAt, t.Snapshot.OrderIndex)))
            .Select((t, index) => (t.TrialId, index))
            .ToDictionary(p => p.TrialId, p => p.index, StringComparer.Ordinal);
        return TypedResults.Ok(new SweepDetailDto(ContractMapper.ToDto(sweep), sweep.Sweep.SweepText,
            [.. trials.Select(t => ContractMapper.ToDto(t, withConfig: false, ahead.TryGetValue(t.Snapshot.Id, out var n) ? n : null))],
            [.. all.Where(t => t.Snapshot.RemovedInRevision is not null).Select(t => ContractMapper.ToDto(t, withConfig: false))]));
    }

    internal static async Task<Results<Ok<CancelSweepResponse>, ProblemHttpResult>> CancelAsync(string sweepId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        var outcome = await core.CancelSweepAsync(sweepId, cancellationToken);
        return outcome.IsAccepted ? TypedResults.Ok(new CancelSweepResponse(sweepId, outcome.Value)) : Problems.From(outcome.Refusal);
    }

    private static NewSweep? ToSweep(SweepDefinitionDto? dto, TimeProvider time, BodyErrors errors)
    {
        if (dto is null)
        {
            errors.Add("sweep", "sweep is required.");
            return null;
        }

        var ok = errors.Require("sweep.id", dto.Id)
            & errors.Require("sweep.name", dto.Name)
            & errors.Require("sweep.question", dto.Question)
            & errors.Require("sweep.objectiveMetric", dto.ObjectiveMetric)
            & errors.Require("sweep.objectiveGoal", dto.ObjectiveGoal)
            & errors.Require("sweep.sweepText", dto.SweepText);
        var stopping = ToStopping(dto.EarlyStopping, errors, ref ok);
        return ok
            ? new NewSweep(dto.Id!, dto.Name!, dto.Description ?? string.Empty, dto.Question!, dto.ObjectiveMetric!, dto.ObjectiveGoal!.Value, dto.SweepText!,
                dto.CreatedAt ?? time.GetUtcNow()) { EarlyStopping = stopping }
            : null;
    }

    private static StoppingPolicy? ToStopping(EarlyStoppingDto? dto, BodyErrors errors, ref bool ok)
    {
        if (dto is null)
        {
            return null;
        }

        var rule = dto.Rule switch
        {
            "asha" => StoppingRule.Asha,
            "median" => StoppingRule.Median,
            _ => (StoppingRule?)null,
        };
        if (rule is null)
        {
            errors.Add("sweep.earlyStopping.rule", $"sweep.earlyStopping.rule must be asha or median, not {dto.Rule ?? "missing"}.");
            ok = false;
            return null;
        }

        var present = errors.Require("sweep.earlyStopping.metric", dto.Metric) & errors.Require("sweep.earlyStopping.goal", dto.Goal);
        if (!present)
        {
            ok = false;
            return null;
        }

        var policy = new StoppingPolicy
        {
            Rule = rule.Value,
            Metric = dto.Metric!,
            Maximize = dto.Goal == ObjectiveGoal.Maximize,
            GraceEpochs = dto.GraceEpochs ?? 1,
            ReductionFactor = dto.ReductionFactor ?? 3,
            MinTrials = dto.MinTrials ?? 3,
        };
        if (policy.Problem() is { } problem)
        {
            errors.Add("sweep.earlyStopping", $"sweep.earlyStopping: {problem}.");
            ok = false;
            return null;
        }

        return policy;
    }

    private static List<NewTrial> ToTrials(IReadOnlyList<TrialDefinitionDto?>? dtos, BodyErrors errors)
    {
        var trials = new List<NewTrial>();
        if (dtos is null)
        {
            errors.Add("trials", "trials is required.");
            return trials;
        }

        for (var i = 0; i < dtos.Count; i++)
        {
            var field = $"trials[{i}]";
            var dto = dtos[i];
            if (dto is null)
            {
                errors.Add(field, $"{field} must be an object.");
                continue;
            }

            var ok = errors.Require($"{field}.id", dto.Id)
                & errors.Require($"{field}.configName", dto.ConfigName)
                & errors.Require($"{field}.configKey", dto.ConfigKey)
                & errors.Require($"{field}.seed", dto.Seed)
                & RequireObject(errors, $"{field}.parameters", dto.Parameters)
                & RequireObject(errors, $"{field}.config", dto.Config)
                & errors.Require($"{field}.maxAttempts", dto.MaxAttempts);
            if (dto.MaxAttempts is < 1 or > MaxAttemptsLimit)
            {
                errors.Add($"{field}.maxAttempts", $"{field}.maxAttempts must be between 1 and {MaxAttemptsLimit}, not {dto.MaxAttempts}.");
                ok = false;
            }

            if (dto.Order is < 0)
            {
                errors.Add($"{field}.order", $"{field}.order must be 0 or more, not {dto.Order}.");
                ok = false;
            }

            var resources = ToResources(dto.Resources, $"{field}.resources", errors, ref ok);
            if (ok)
            {
                trials.Add(new NewTrial(dto.Id!, dto.ConfigName!, dto.ConfigKey!, dto.Seed!.Value, dto.Parameters!.Value.GetRawText(), dto.Expect ?? string.Empty,
                    dto.ExpectedVerdict, dto.Config!.Value.GetRawText(), resources, dto.MaxAttempts!.Value, dto.Priority ?? 0, dto.Order ?? i)
                {
                    EarlyStopping = dto.EarlyStopping ?? true,
                });
            }
        }

        return trials;
    }

    private static ResourceRequest ToResources(ResourcesDto? dto, string field, BodyErrors errors, ref bool ok)
    {
        if (dto is null)
        {
            return ResourceRequest.Cpu;
        }

        if (dto.Gpus is < 0 or > 64)
        {
            errors.Add($"{field}.gpus", $"{field}.gpus must be between 0 and 64, not {dto.Gpus}.");
            ok = false;
        }

        if (dto.GpuMemoryGiB is { } memory && (memory < 0 || !double.IsFinite(memory)))
        {
            errors.Add($"{field}.gpuMemoryGiB", $"{field}.gpuMemoryGiB must be a finite number of 0 or more, not {memory}.");
            ok = false;
        }

        return new ResourceRequest(dto.Gpus ?? 0, dto.GpuMemoryGiB ?? 0, dto.Labels ?? new Dictionary<string, string>());
    }

    private static bool RequireObject(BodyErrors errors, string field, JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object })
        {
            errors.Add(field, $"{field} is required and must be a JSON object.");
            return false;
        }

        return true;
    }
}
