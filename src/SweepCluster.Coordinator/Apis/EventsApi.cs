using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>The event log, filtered by sweep or trial, after an id. User role.</summary>
public static class EventsApi
{
    /// <summary>Most events one request returns.</summary>
    public const int MaxLimit = 10_000;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/events").RequireAuthorization(CoordinatorRoles.User).WithTags("Events");
        group.MapGet("/", ListAsync);
        return app;
    }

    internal static async Task<Results<Ok<IReadOnlyList<EventDto>>, ProblemHttpResult>> ListAsync(
        HttpRequest request, CoordinatorCore core, CancellationToken cancellationToken)
    {
        // Query values are parsed here so that a bad one gets a 400 naming it, like body fields.
        var errors = new BodyErrors();
        var afterId = ParseLong(request, "afterId", 0, errors);
        var limit = ParseLong(request, "limit", 1000, errors);
        if (afterId < 0)
        {
            errors.Add("afterId", $"afterId must be 0 or more, not {afterId}.");
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}, not {limit}.");
        }

        if (!errors.IsEmpty)
        {
            return Problems.Invalid(errors);
        }

        var query = new EventQuery(Blank(request.Query["sweepId"]), Blank(request.Query["trialId"]), afterId, (int)limit);
        var events = await core.ListEventsAsync(query, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<EventDto>>([.. events.Select(ContractMapper.ToDto)]);
    }

    private static long ParseLong(HttpRequest request, string name, long fallback, BodyErrors errors)
    {
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(name, $"{name} must be an integer, not '{text}'.");
        return fallback;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
