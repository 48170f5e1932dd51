using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Hosting;

/// <summary>The grain storage providers every SweepCluster silo registers, embedded or clustered.</summary>
public static class SweepClusterStorageNames
{
    /// <summary>Trial grains' state (<see cref="TrialGrain.StorageName"/>).</summary>
    public const string Trials = TrialGrain.StorageName;

    /// <summary>The sweep (coordinator) grains' state.</summary>
    public const string Sweeps = "sweeps";

    /// <summary>Orleans' default provider, for grains that name no storage.</summary>
    public const string Default = "Default";

    /// <summary>Every name a silo registers a provider under.</summary>
    public static IReadOnlyList<string> All { get; } = [Trials, Sweeps, Default];
}
