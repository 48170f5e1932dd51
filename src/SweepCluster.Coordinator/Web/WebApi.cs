using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Reports;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Web;

/// <summary>
/// The data the web page reads beyond the user API: a sweep's incremental view (<c>/api/web/sweeps/{id}/view?after=</c>),
/// one configuration's curves and panels, and the cluster. User role.
/// </summary>
public static class WebApi
{
    /// <summary>Most events one poll reads; a poll that finds more answers with a cursor part-way and the next one goes on.</summary>
    public const int MaxEventsPerPoll = 5000;

    /// <summary>The environment variable naming Grafana's address, when <see cref="CoordinatorHostOptions.GrafanaUrl"/> is not set.</summary>
    public const string GrafanaVariable = "SWEEPCLUSTER_GRAFANA_URL";

    public static IEndpointRouteBuilder MapWebApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/web").RequireAuthorization(CoordinatorRoles.User).WithTags("Web");
        group.MapGet("/sweeps", ListAsync);
        group.MapGet("/sweeps/{sweepId}/view", ViewAsync);
        group.MapGet("/sweeps/{sweepId}/config", ConfigAsync);
        group.MapGet("/cluster", ClusterAsync);
        return app;
    }

    /// <summary>Every sweep, newest first, with its status from its grain (counts, progress, time left).</summary>
    internal static async Task<Ok<IReadOnlyList<SweepListItemDto>>> ListAsync(CoordinatorCore core, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var items = new List<SweepListItemDto>();
        foreach (var sweep in await core.ListSweepsAsync(cancellationToken))
        {
            var status = await grains.GetGrain<ISweepGrain>(sweep.Sweep.Id).GetStatusAsync(withMatrix: false).WaitAsync(cancellationToken);
            items.Add(new SweepListItemDto(ContractMapper.ToDto(sweep), new SweepStatusDto(status.Counts, status.Total, status.Finished, status.Progress, status.EtaSeconds)));
        }

        return TypedResults.Ok<IReadOnlyList<SweepListItemDto>>(items);
    }

    /// <summary>
    /// The first poll (no <c>after</c>, or 0) reads the event cursor first, then every trial and the matrix; a later poll
    /// reads the sweep's events after the cursor and only the trials they name, and asks the sweep grain for the matrix
    /// only when one of those trials is in a terminal state (or a revision removed or restored one).
    /// </summary>
    internal static async Task<Results<Ok<SweepViewDto>, ProblemHttpResult>> ViewAsync(
        string sweepId, HttpRequest request, CoordinatorCore core, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var afterText = request.Query["after"].ToString();
        long after = 0;
        if (afterText.Length > 0 && (!long.TryParse(afterText, NumberStyles.Integer, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            var errors = new BodyErrors();
            errors.Add("after", $"after must be an event id (0 or more), not '{afterText}'.");
            return Problems.Invalid(errors);
        }

        long cursor;
        IReadOnlyList<TrialRecord> trials;
        SweepSummaryDto? summary = null;
        bool withMatrix;
        if (after == 0)
        {
            // The cursor before the rows: an event written meanwhile is read again next time, never missed.
            cursor = await core.LatestEventIdAsync(cancellationToken);
            if (await core.GetSweepAsync(sweepId, cancellationToken) is not { } sweep)
            {
                return Problems.NotFound($"Sweep {sweepId} does not exist.");
            }

            summary = ContractMapper.ToDto(sweep);
            trials = [.. (await core.ListTrialsAsync(sweepId, cancellationToken)).Where(t => t.Snapshot.RemovedInRevision is null)];
            withMatrix = true;
        }
        else
        {
            var events = await core.ListEventsAsync(new EventQuery(sweepId, null, after, MaxEventsPerPoll), cancellationToken);
            cursor = events.Count > 0 ? events[^1].Id : after;
            var touched = new List<TrialRecord>();
            foreach (var trialId in events.Where(e => e.TrialId is not null).Select(e => e.TrialId!).Distinct(StringComparer.Ordinal))
            {
                if (await core.GetTrialAsync(trialId, cancellationToken) is { } trial)
                {
                    touched.Add(trial);
                }
            }

            trials = touched;
            withMatrix = touched.Any(t => IsTerminal(t.Snapshot.State) || t.Snapshot.RemovedInRevision is not null)
                || events.Any(e => e.Kind.StartsWith("trial.re", StringComparison.Ordinal) || e.TrialId is null);
        }

        var status = await grains.GetGrain<ISweepGrain>(sweepId).GetStatusAsync(withMatrix).WaitAsync(cancellationToken);
        if (!status.Found)
        {
            return Problems.NotFound($"Sweep {sweepId} does not exist.");
        }

        var matrix = status.MatrixJson is { } json ? ToView(JsonMatrixRenderer.Read(json)) : null;
        return TypedResults.Ok(new SweepViewDto(cursor, after == 0, summary,
            new SweepStatusDto(status.Counts, status.Total, status.Finished, status.Progress, status.EtaSeconds),
            [.. trials.Select(t => ContractMapper.ToDto(t, withConfig: false))], matrix));
    }

    /// <summary>One configuration (<c>?key=</c>, its config key) of the sweep: the curves and panels report.html draws for it.</summary>
    internal static async Task<Results<Ok<ConfigViewDto>, ProblemHttpResult>> ConfigAsync(
        string sweepId, string key, CoordinatorCore core, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var status = await grains.GetGrain<ISweepGrain>(sweepId).GetStatusAsync(withMatrix: true).WaitAsync(cancellationToken);
        if (!status.Found || status.MatrixJson is null)
        {
            return Problems.NotFound($"Sweep {sweepId} does not exist.");
        }

        var matrix = JsonMatrixRenderer.Read(status.MatrixJson);
        if (matrix.TableRows.FirstOrDefault(r => string.Equals(r.ConfigKey, key, StringComparison.Ordinal) && MatrixTable.HasSection(r)) is not { } row)
        {
            return Problems.NotFound($"Sweep {sweepId} has no configuration {key}.");
        }

        var panels = new List<PanelDto>();
        foreach (var trialId in row.TrialIds)
        {
            if (await core.GetTrialAsync(trialId, cancellationToken) is not { Snapshot.State: TrialState.Succeeded } trial)
            {
                continue;
            }

            var artifacts = await core.ListArtifactsAsync(trialId, cancellationToken);
            panels.AddRange(artifacts
                .Where(a => a.Attempt == trial.Snapshot.CurrentAttempt && string.Equals(a.Kind, ArtifactKinds.Panel, StringComparison.Ordinal))
                .Select(a => new PanelDto(trialId, a.Id, a.Name)));
        }

        var floor = row.NoiseFloorCross?.Mean;
        var loss = row.CrossLossCurves.Select(c => new CurveDto(c.TrialId, c.Seed, [.. c.Points.Select(p => p.X)], [.. c.Points.Select(p => floor is { } f ? p.Y - f : p.Y)]));
        var psnr = row.PsnrCurves.Select(c => new CurveDto(c.TrialId, c.Seed, [.. c.Points.Select(p => p.X)], [.. c.Points.Select(p => p.Y)]));
        return TypedResults.Ok(new ConfigViewDto(row.ConfigKey, row.ConfigName, row.Status, row.Seeds, [.. row.Parameters.Select(p => $"{p.Key} = {p.Value}")],
            floor is not null, floor, [.. loss], [.. psnr], Levels(matrix), panels));
    }

    internal static async Task<Ok<ClusterViewDto>> ClusterAsync(HttpRequest request, CoordinatorCore core, CoordinatorHostOptions options, CancellationToken cancellationToken)
    {
        var scheduler = await core.GetSchedulerViewAsync(cancellationToken);
        var grafana = options.GrafanaUrl ?? Environment.GetEnvironmentVariable(GrafanaVariable);
        return TypedResults.Ok(new ClusterViewDto(
            [.. core.ListSilos().Select(s => ContractMapper.ToDto(s, scheduler))],
            [.. scheduler.Allocations.Select(a => new AllocationDto(a.TrialId, a.SweepId, a.Attempt, a.SiloId, a.SlotIds, a.PlacedAt))],
            request.PathBase + "/dashboard",
            string.IsNullOrWhiteSpace(grafana) ? null : grafana));
    }

    /// <summary>Any state but pending, placed and running: succeeded, failed, cancelled, and whatever terminal state comes later.</summary>
    private static bool IsTerminal(TrialState state) => state is not (TrialState.Pending or TrialState.Placed or TrialState.Running);

    private static MatrixViewDto ToView(TestMatrix matrix) =>
        new(MatrixTable.Headers(matrix), MatrixTable.VerdictColumn,
            [.. matrix.TableRows.Select(r => new MatrixRowViewDto(r.ConfigKey, r.ConfigName, JsonKind(r.Kind), r.Kind == RowKind.Configuration ? r.Verdict?.ToString().ToLowerInvariant() : null,
                MatrixTable.HasSection(r), MatrixTable.Cells(matrix, r), r.TrialIds))],
            matrix.Warnings, matrix.Rule.Describe(matrix.RelativeVerdicts), matrix.VerdictBasis, Levels(matrix));

    private static IReadOnlyList<PlotLevelDto> Levels(TestMatrix matrix) => [.. MatrixTable.ReferenceLevels(matrix).Select(l => new PlotLevelDto(l.Label, l.Value))];

    private static string JsonKind(RowKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
