using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;

namespace SweepCluster.Coordinator.Hosting;

/// <summary>ProblemDetails answers for refusals and bad requests.</summary>
internal static class Problems
{
    /// <summary>NotFound -> 404, Invalid -> 400, every other refusal (stale attempt, not holder, transition) -> 409.</summary>
    public static ProblemHttpResult From(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var status = refusal.Kind switch
        {
            RefusalKind.NotFound => StatusCodes.Status404NotFound,
            RefusalKind.Invalid => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status409Conflict,
        };
        return TypedResults.Problem(
            detail: refusal.Message,
            statusCode: status,
            title: Title(refusal.Kind),
            extensions: new Dictionary<string, object?> { ["refusal"] = refusal.Kind.ToString() });
    }

    public static ProblemHttpResult NotFound(string message) => From(Refusal.NotFound(message));

    /// <summary>400 with an <c>errors</c> map naming every bad field, and the same in <c>detail</c>.</summary>
    public static ProblemHttpResult Invalid(BodyErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var map = errors.ToDictionary();
        return TypedResults.Problem(new HttpValidationProblemDetails(map)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is not valid.",
            Detail = string.Join(" ", map.SelectMany(e => e.Value)),
        });
    }

    public static ProblemHttpResult Invalid(string field, string message)
    {
        var errors = new BodyErrors();
        errors.Add(field, message);
        return Invalid(errors);
    }

    public static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem(
            detail: $"The request body is larger than {limit} bytes.",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "The request body is too large.");

    private static string Title(RefusalKind kind) => kind switch
    {
        RefusalKind.NotFound => "Not found.",
        RefusalKind.Invalid => "The request is not valid.",
        RefusalKind.StaleAttempt => "The attempt is stale.",
        RefusalKind.NotHolder => "The attempt is held by another silo.",
        _ => "The request conflicts with the trial's state.",
    };
}
