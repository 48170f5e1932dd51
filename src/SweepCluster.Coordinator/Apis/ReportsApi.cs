using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster.Reports;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>A sweep's test matrix, rendered: Markdown, CSV, JSON or the self-contained HTML page. User role.</summary>
public static class ReportsApi
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["md"] = "text/markdown; charset=utf-8",
        ["csv"] = "text/csv; charset=utf-8",
        ["json"] = "application/json; charset=utf-8",
        ["html"] = "text/html; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/sweeps").RequireAuthorization(CoordinatorRoles.User).WithTags("Reports")
            .MapGet("/{sweepId}/report/{format}", GetAsync);
        return app;
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetAsync(
        string sweepId, string format, StoreLease store, CancellationToken cancellationToken)
    {
        if (!ContentTypes.TryGetValue(format, out var contentType))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Unknown report format",
                detail: $"format '{format}' is not one of: {string.Join(", ", ContentTypes.Keys)}");
        }

        var report = await TestMatrixLoader.LoadAsync(store.Store, sweepId, includePanels: format == "html", rule: null, cancellationToken);
        if (report is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such sweep", detail: $"sweep '{sweepId}' does not exist");
        }

        var text = format switch
        {
            "md" => MarkdownMatrixRenderer.Render(report.Matrix),
            "csv" => CsvMatrixRenderer.Render(report.Matrix),
            "json" => JsonMatrixRenderer.Render(report.Matrix),
            _ => HtmlReportRenderer.Render(report.Matrix, report.Panels),
        };
        return TypedResults.Content(text, contentType, Encoding.UTF8);
    }
}
