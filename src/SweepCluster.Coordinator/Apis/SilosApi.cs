using Microsoft.AspNetCore.Http.HttpResults;
using SweepCluster.Cluster;
using SweepCluster.Coordinator.Contracts;
using SweepCluster.Coordinator.Hosting;
using SweepCluster.Coordinator.Security;

namespace SweepCluster.Coordinator.Apis;

/// <summary>
/// <c>/silos</c>: the trainer silos that are members of the cluster now (Orleans membership), with their slots and
/// whether the scheduler places on them yet. Silos join through Orleans, never through this API.
/// </summary>
public static class SilosApi
{
    public static IEndpointRouteBuilder MapSilosApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/silos").RequireAuthorization(CoordinatorRoles.User).MapGet("/", ListAsync);
        return app;
    }

    internal static async Task<Ok<IReadOnlyList<SiloDto>>> ListAsync(CoordinatorCore core, CancellationToken cancellationToken)
    {
        var scheduler = await core.GetSchedulerViewAsync(cancellationToken);
        IReadOnlyList<SiloDto> silos = [.. core.ListSilos().Select(s => ContractMapper.ToDto(s, scheduler))];
        return TypedResults.Ok(silos);
    }
}
