using SweepCluster.Telemetry;
using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>
/// The silo side: register, claim (long poll), heartbeat, metric batches, artifact uploads,
/// completion, failure, and resume-checkpoint downloads. Silo role. Every report names the
/// attempt (fencing token); the core refuses reports on attempts the silo does not hold (409).
/// </summary>
public static class SilosApi
{
    /// <summary>Longest error message a failure report may carry.</summary>
    public const int MaxErrorLength = 32 * 1024;

    /// <summary>Longest artifact display name.</summary>
    public const int MaxArtifactNameLength = 200;

    private const string AttemptRoute = "/{siloId}/trials/{trialId}/attempts/{attempt:int}";

    public static IEndpointRouteBuilder MapSilosApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/silos").RequireAuthorization(CoordinatorRoles.Silo).WithTags("Silos");
        group.MapPost("/register", RegisterAsync);
        group.MapPost("/{siloId}/claim", ClaimAsync);
        group.MapPost("/{siloId}/heartbeat", HeartbeatAsync);
        group.MapGet("/{siloId}/artifacts/{artifactId}", DownloadArtifactAsync);
        group.MapPost($"{AttemptRoute}/metrics", ReportMetricsAsync);
        group.MapPut($"{AttemptRoute}/artifacts", PutArtifactAsync);
        group.MapPost($"{AttemptRoute}/complete", CompleteAsync);
        group.MapPost($"{AttemptRoute}/fail", FailAsync);
        return app;
    }

    internal static async Task<Results<Ok<SiloDto>, ProblemHttpResult>> RegisterAsync(
        HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<RegisterSiloRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        errors.Require("id", body!.Id);
        var slots = new List<SlotInfo>();
        if (body.Slots is null || body.Slots.Count == 0)
        {
            errors.Add("slots", "slots is required and must list at least one slot.");
        }
        else
        {
            for (var i = 0; i < body.Slots.Count; i++)
            {
                var field = $"slots[{i}]";
                if (body.Slots[i] is not { } slot)
                {
                    errors.Add(field, $"{field} must be an object.");
                    continue;
                }

                var ok = errors.Require($"{field}.id", slot.Id);
                if (slot.GpuIndex is < 0)
                {
                    errors.Add($"{field}.gpuIndex", $"{field}.gpuIndex must be 0 or more, not {slot.GpuIndex}.");
                    ok = false;
                }

                if (slot.GpuMemoryGiB is { } memory && (memory < 0 || !double.IsFinite(memory)))
                {
                    errors.Add($"{field}.gpuMemoryGiB", $"{field}.gpuMemoryGiB must be a finite number of 0 or more, not {memory}.");
                    ok = false;
                }

                if (ok)
                {
                    slots.Add(new SlotInfo(slot.Id!, slot.GpuIndex, slot.GpuName, slot.GpuMemoryGiB ?? 0));
                }
            }
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var silo = new SiloInfo(body.Id!, string.IsNullOrWhiteSpace(body.Name) ? body.Id! : body.Name, body.Labels ?? new Dictionary<string, string>(), slots);
        var outcome = await core.RegisterSiloAsync(silo, cancellationToken);
        return outcome.IsAccepted ? TypedResults.Ok(ContractMapper.ToDto(outcome.Value)) : Problems.From(outcome.Refusal);
    }

    /// <summary>
    /// Long poll: claims at once, and while nothing was placed waits (up to the asked time, capped)
    /// for a signal that work may have appeared, then claims again. Answers as soon as a claim
    /// places something, or with no attempts when the wait runs out.
    /// </summary>
    internal static async Task<Results<Ok<ClaimResponse>, ProblemHttpResult>> ClaimAsync(
        string siloId, HttpRequest request, CoordinatorCore core, WorkSignal signal, TimeProvider time, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<ClaimRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        if (body!.FreeSlotIds is null)
        {
            errors.Add("freeSlotIds", "freeSlotIds is required (it may be empty).");
        }
        else
        {
            for (var i = 0; i < body.FreeSlotIds.Count; i++)
            {
                errors.Require($"freeSlotIds[{i}]", body.FreeSlotIds[i]);
            }
        }

        if (body.SweepId is { } only && string.IsNullOrWhiteSpace(only))
        {
            errors.Add("sweepId", "sweepId must name a sweep, or be left out to take work from any sweep.");
        }

        if (body.WaitSeconds is { } asked && (asked < 0 || !double.IsFinite(asked)))
        {
            errors.Add("waitSeconds", $"waitSeconds must be a finite number of 0 or more, not {asked}.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var free = body.FreeSlotIds!.Select(s => s!).ToList();
        var wait = TimeSpan.FromSeconds(Math.Min(body.WaitSeconds ?? 0, options.MaxClaimWait.TotalSeconds));
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var woken = signal.Next;
            var claimStarted = time.GetTimestamp();
            var outcome = await core.ClaimAsync(siloId, free, body.SweepId, cancellationToken);
            SweepClusterTelemetry.RecordClaim(time.GetElapsedTime(claimStarted));
            if (!outcome.IsAccepted)
            {
                return Problems.From(outcome.Refusal);
            }

            var remaining = deadline - time.GetUtcNow();
            if (outcome.Value.Count > 0 || free.Count == 0 || remaining <= TimeSpan.Zero)
            {
                return TypedResults.Ok(new ClaimResponse([.. outcome.Value.Select(claimed => new ClaimedAttemptDto(claimed.TrialId, claimed.SweepId,
                    claimed.ConfigName, claimed.Attempt, [.. claimed.Slots.Select(ContractMapper.ToDto)], claimed.ConfigJson,
                    claimed.ResumeCheckpointArtifactId, claimed.LeaseExpiresAt))]));
            }

            try
            {
                var nap = remaining < options.ClaimRecheckInterval ? remaining : options.ClaimRecheckInterval;
                await woken.WaitAsync(nap, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Look again: the deadline, or the periodic re-check for other writers to the store.
            }
        }
    }

    internal static async Task<Results<Ok<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(
        string siloId, HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<HeartbeatRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        var held = new List<HeldAttempt>();
        if (body!.Held is null)
        {
            errors.Add("held", "held is required (it may be empty).");
        }
        else
        {
            for (var i = 0; i < body.Held.Count; i++)
            {
                var field = $"held[{i}]";
                if (body.Held[i] is not { } h)
                {
                    errors.Add(field, $"{field} must be an object.");
                    continue;
                }

                var ok = errors.Require($"{field}.trialId", h.TrialId) & RequireAttempt(errors, $"{field}.attempt", h.Attempt);
                if (h.Progress is { Step: < 0 })
                {
                    errors.Add($"{field}.progress.step", $"{field}.progress.step must be 0 or more, not {h.Progress.Step}.");
                    ok = false;
                }

                if (ok)
                {
                    var progress = h.Progress is { } p ? new AttemptProgress(p.Step, p.TotalSteps, p.Epoch) : null;
                    held.Add(new HeldAttempt(h.TrialId!, h.Attempt!.Value, progress));
                }
            }
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await core.HeartbeatAsync(siloId, held, cancellationToken);
        if (outcome.IsAccepted)
        {
            SweepClusterTelemetry.RecordSiloHeartbeat(siloId);
        }

        return outcome.IsAccepted
            ? TypedResults.Ok(new HeartbeatResponse([.. outcome.Value.Select(s => new HeldAttemptStatusDto(s.TrialId, s.Attempt, s.Verdict, s.LeaseExpiresAt, s.Reason))]))
            : Problems.From(outcome.Refusal);
    }

    internal static async Task<Results<Ok<MetricsResponse>, ProblemHttpResult>> ReportMetricsAsync(
        string siloId, string trialId, int attempt, HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<MetricsRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        var points = new List<MetricPoint>();
        if (body!.Points is null)
        {
            errors.Add("points", "points is required.");
        }
        else
        {
            for (var i = 0; i < body.Points.Count; i++)
            {
                var field = $"points[{i}]";
                if (body.Points[i] is not { } p)
                {
                    errors.Add(field, $"{field} must be an object.");
                    continue;
                }

                var ok = errors.Require($"{field}.step", p.Step)
                    & errors.Require($"{field}.name", p.Name)
                    & errors.Require($"{field}.value", p.Value)
                    & errors.Require($"{field}.kind", p.Kind);
                if (p.Step is < 0)
                {
                    errors.Add($"{field}.step", $"{field}.step must be 0 or more, not {p.Step}.");
                    ok = false;
                }

                if (ok)
                {
                    points.Add(new MetricPoint(p.Step!.Value, p.Name!, p.Value!.Value, p.Epoch, p.Kind!));
                }
            }
        }

        RequireAttempt(errors, "attempt", attempt);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await core.ReportMetricsAsync(siloId, trialId, attempt, points, cancellationToken);
        if (!outcome.IsAccepted)
        {
            return Problems.From(outcome.Refusal);
        }

        await CoordinatorTelemetry.RecordPointsAsync(core, trialId, points, outcome.Value, cancellationToken);
        return TypedResults.Ok(new MetricsResponse(outcome.Value));
    }

    /// <summary>Uploads an artifact; the body is its raw bytes, <c>kind</c> and <c>name</c> come in the query.</summary>
    internal static async Task<Results<Ok<ArtifactDto>, ProblemHttpResult>> PutArtifactAsync(
        string siloId, string trialId, int attempt, HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var errors = new BodyErrors();
        var kind = request.Query["kind"].ToString();
        var name = request.Query["name"].ToString();
        if (errors.Require("kind", kind) && (kind.Length > 32 || !kind.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            errors.Add("kind", "kind must be 1 to 32 ASCII letters, digits, '_' or '-'.");
        }

        if (errors.Require("name", name) && (name.Length > MaxArtifactNameLength || name.Any(char.IsControl)))
        {
            errors.Add("name", $"name must be at most {MaxArtifactNameLength} characters without control characters.");
        }

        RequireAttempt(errors, "attempt", attempt);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var (bytes, error) = await RequestBody.ReadBytesAsync(request, options.Core.MaxArtifactBytes, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var outcome = await core.PutArtifactAsync(siloId, new ArtifactUpload(trialId, attempt, kind, name, bytes), cancellationToken);
        return outcome.IsAccepted ? TypedResults.Ok(ContractMapper.ToDto(outcome.Value)) : Problems.From(outcome.Refusal);
    }

    internal static async Task<Results<Ok<TrialDto>, ProblemHttpResult>> CompleteAsync(
        string siloId, string trialId, int attempt, HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<CompleteRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        if (body!.Summary is not { ValueKind: System.Text.Json.JsonValueKind.Object })
        {
            errors.Add("summary", "summary is required and must be a JSON object.");
        }

        RequireAttempt(errors, "attempt", attempt);
        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = await core.CompleteAsync(siloId, trialId, attempt, body.Summary!.Value.GetRawText(), cancellationToken);
        CoordinatorTelemetry.RecordAttemptEnd(outcome, attempt, "succeeded", time);
        return await TrialAnswerAsync(outcome, core, cancellationToken);
    }

    internal static async Task<Results<Ok<TrialDto>, ProblemHttpResult>> FailAsync(
        string siloId, string trialId, int attempt, HttpRequest request, CoordinatorCore core, WorkSignal signal, CoordinatorHostOptions options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<FailRequest>(request, options.MaxJsonBodyBytes, CoordinatorJson.Options, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new BodyErrors();
        if (body!.Error is { Length: > MaxErrorLength })
        {
            errors.Add("error", $"error must be at most {MaxErrorLength} characters, not {body.Error.Length}.");
        }

        RequireAttempt(errors, "attempt", attempt);
        Divergence? divergence = null;
        if (body.Diverged is { } diverged)
        {
            var ok = errors.Require("diverged.step", diverged.Step) & errors.Require("diverged.metric", diverged.Metric) & errors.Require("diverged.value", diverged.Value);
            if (diverged.Step is < 0)
            {
                errors.Add("diverged.step", $"diverged.step must be 0 or more, not {diverged.Step}.");
                ok = false;
            }

            if (diverged.Value is { } value && double.IsFinite(value))
            {
                errors.Add("diverged.value", "diverged.value must be NaN or infinite (\"NaN\", \"Infinity\", \"-Infinity\").");
                ok = false;
            }

            divergence = ok ? new Divergence(diverged.Step!.Value, diverged.Metric!, diverged.Value!.Value) : null;
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var outcome = divergence is not null
            ? await core.FailDivergedAsync(siloId, trialId, attempt, divergence, cancellationToken)
            : await core.FailAsync(siloId, trialId, attempt, body.Error ?? string.Empty, cancellationToken);
        CoordinatorTelemetry.RecordAttemptEnd(outcome, attempt, "failed", time);
        if (outcome.IsAccepted && outcome.Value.State == TrialState.Pending)
        {
            signal.Notify();
        }

        return await TrialAnswerAsync(outcome, core, cancellationToken);
    }

    /// <summary>The resume checkpoint (or any artifact) by id, for a silo starting an attempt.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadArtifactAsync(
        string siloId, string artifactId, CoordinatorCore core, CancellationToken cancellationToken)
    {
        _ = siloId;
        var outcome = await core.GetArtifactAsync(artifactId, cancellationToken);
        return outcome.IsAccepted
            ? TypedResults.File(outcome.Value.Content.ToArray(), "application/octet-stream")
            : Problems.From(outcome.Refusal);
    }

    private static async Task<Results<Ok<TrialDto>, ProblemHttpResult>> TrialAnswerAsync(Outcome<TrialSnapshot> outcome, CoordinatorCore core, CancellationToken cancellationToken)
    {
        if (!outcome.IsAccepted)
        {
            return Problems.From(outcome.Refusal);
        }

        var trial = await core.GetTrialAsync(outcome.Value.Id, cancellationToken);
        return trial is null ? Problems.NotFound($"Trial {outcome.Value.Id} does not exist.") : TypedResults.Ok(ContractMapper.ToDto(trial, withConfig: false));
    }

    private static bool RequireAttempt(BodyErrors errors, string field, int? attempt)
    {
        if (attempt is null or < 1)
        {
            errors.Add(field, attempt is null ? $"{field} is required." : $"{field} must be 1 or more, not {attempt}.");
            return false;
        }

        return true;
    }
}
