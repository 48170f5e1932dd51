using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Silos;

/// <summary>What every silo of a SweepCluster cluster hosts besides Orleans itself: the grains' record of trials, the
/// scheduler's view of membership, the decision sink that feeds the scheduler and the scheduler pump.</summary>
public static class SweepClusterGrainServices
{
    /// <param name="store">The relational store (trial rows, metric points, artifacts) this silo writes through.</param>
    /// <param name="scheduler">Placement policy and, for an embedded run, the only sweep to schedule.</param>
    public static IServiceCollection AddSweepClusterGrains(this IServiceCollection services, Func<IServiceProvider, ITrialStore> store, Action<SchedulerOptions>? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ITrialRecords>(sp => new StoreTrialRecords(store(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IClusterSlots, MembershipClusterSlots>();
        services.AddSingleton<ITrialDecisionSink, SchedulerDecisionSink>();
        services.AddOptions<SchedulerOptions>().Configure(o => scheduler?.Invoke(o));
        services.AddOptions<TrialGrainOptions>();
        services.AddHostedService<SchedulerPump>();
        return services;
    }
}
