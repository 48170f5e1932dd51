using System.Collections.Immutable;

namespace SweepCluster.Cluster.Silos;

/// <summary>
/// A silo's own Orleans silo metadata (its <see cref="Hosting.SiloSlotsMetadata"/> description), asked of that silo.
/// Keyed by the silo's address (<see cref="SiloAddress.ToParsableString"/>) and activated there through the placement
/// hint; <see cref="MembershipClusterSlots"/> asks it when Orleans' metadata cache has nothing for an active silo.
/// </summary>
public interface ISiloDescriptionGrain : IGrainWithStringKey
{
    /// <returns>The silo's metadata; null when this activation is not on the silo its key names (it goes; ask again).</returns>
    Task<ImmutableDictionary<string, string>?> GetMetadataAsync();
}
