using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace SweepCluster.Cluster.Silos;

/// <inheritdoc cref="ISiloDescriptionGrain"/>
[Orleans.Placement.PreferLocalPlacement]
public sealed class SiloDescriptionGrain(IOptions<SiloMetadata> metadata) : Grain, ISiloDescriptionGrain
{
    public Task<ImmutableDictionary<string, string>?> GetMetadataAsync()
    {
        if (!string.Equals(this.GetPrimaryKeyString(), GrainContext.Address.SiloAddress?.ToParsableString(), StringComparison.Ordinal))
        {
            // Placed elsewhere (the hint named a silo that was not placeable then): only the named silo can answer.
            DeactivateOnIdle();
            return Task.FromResult<ImmutableDictionary<string, string>?>(null);
        }

        return Task.FromResult<ImmutableDictionary<string, string>?>(metadata.Value.Metadata.ToImmutableDictionary(StringComparer.Ordinal));
    }
}
