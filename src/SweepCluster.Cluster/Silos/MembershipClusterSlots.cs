using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cluster.Silos;

/// <summary>
/// <see cref="IClusterSlots"/> from this silo's membership view: active members that published slots
/// (<see cref="SiloSlotsMetadata"/>), and silos that are dead or not members of this cluster at all.
/// </summary>
public sealed class MembershipClusterSlots(IClusterMembershipService membership, ISiloMetadataCache metadata) : IClusterSlots
{
    // Silo metadata is static for a silo's life (a restart is a new address): parse it once per silo.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SiloAddress, SiloInfo?> _described = new();

    public IReadOnlyList<SiloInfo> ActiveSilos()
    {
        var silos = new List<SiloInfo>();
        foreach (var (address, member) in membership.CurrentSnapshot.Members)
        {
            if (member.Status != SiloStatus.Active)
            {
                continue;
            }

            if (Describe(address) is { Slots.Count: > 0 } silo)
            {
                // Placements name a silo by its Orleans address: unique per process, so a restarted silo is a new one.
                silos.Add(silo with { Id = address.ToParsableString() });
            }
        }

        return silos;
    }

    private SiloInfo? Describe(SiloAddress address)
    {
        if (_described.TryGetValue(address, out var known))
        {
            return known;
        }

        var described = metadata.GetSiloInfo(address);
        // Metadata arrives a moment after a silo joins: only a description that arrived is kept.
        if (described is not null)
        {
            _described[address] = described;
        }

        return described;
    }

    public bool IsGone(string siloId)
    {
        SiloAddress address;
        try
        {
            address = SiloAddress.FromParsableString(siloId);
        }
        catch (FormatException)
        {
            // Not an Orleans silo at all (rows written by something else): nothing will ever report for it.
            return true;
        }

        // None: never a member of this cluster (the silo of an earlier embedded run, or a cluster that was reset).
        return membership.CurrentSnapshot.GetSiloStatus(address) is SiloStatus.Dead or SiloStatus.None;
    }
}
