using SweepCluster.Cluster.Placement;

namespace SweepCluster.Cluster;

/// <summary>Tunables of <see cref="CoordinatorCore"/>.</summary>
public sealed record CoordinatorOptions
{
    /// <summary>How long a lease lasts without a heartbeat; silos should beat several times per TTL.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A silo silent for longer no longer counts as capacity when explaining why trials wait.</summary>
    public TimeSpan SiloTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public PlacementPolicy Placement { get; init; } = PlacementPolicy.Pack;

    /// <summary>Largest artifact accepted, in bytes.</summary>
    public long MaxArtifactBytes { get; init; } = 512L * 1024 * 1024;
}
