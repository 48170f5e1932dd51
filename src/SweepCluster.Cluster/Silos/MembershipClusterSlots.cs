using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cluster.Silos;

/// <summary>
/// <see cref="IClusterSlots"/> from this silo's membership view: active members that published slots
/// (<see cref="SiloSlotsMetadata"/>), and silos that are dead or not members of this cluster at all.
/// </summary>
/// <remarks>
/// A silo's description comes from Orleans' metadata cache, which fetches it once, when a membership change shows the
/// silo. A fetch that fails (the silo was still joining, or busy) is retried only at a later membership change, which
/// a stable cluster may never make: such a silo would stay unused for good. So an active member the cache has nothing
/// for is asked directly (<see cref="ISiloDescriptionGrain"/>, in the background, again after
/// <see cref="AskAgainAfter"/> while it does not answer); what it answers is kept for the silo's life.
/// </remarks>
public sealed partial class MembershipClusterSlots(
    IClusterMembershipService membership,
    ISiloMetadataCache metadata,
    IGrainFactory grains,
    TimeProvider time,
    ILogger<MembershipClusterSlots> logger) : IClusterSlots
{
    /// <summary>The pause before a silo that did not answer is asked again.</summary>
    public static readonly TimeSpan AskAgainAfter = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    // Silo metadata is static for a silo's life (a restart is a new address): parse it once per silo.
    private readonly ConcurrentDictionary<SiloAddress, SiloInfo?> _described = new();

    // Silos being asked (MaxValue) or not to be asked before the time held.
    private readonly Dictionary<SiloAddress, DateTimeOffset> _asking = [];

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
        if (described is not null)
        {
            _described[address] = described;
            return described;
        }

        // Nothing cached: not fetched yet, a fetch that failed, or a silo without slots (the coordinator's); it says which.
        Ask(address);
        return null;
    }

    private void Ask(SiloAddress address)
    {
        lock (_asking)
        {
            if (_asking.TryGetValue(address, out var notBefore) && notBefore > time.GetUtcNow())
            {
                return;
            }

            _asking[address] = DateTimeOffset.MaxValue;
        }

        // Not in the caller's request context (a grain's turn): the question carries only its own placement hint.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => AskAsync(address));
        }
    }

    private async Task AskAsync(SiloAddress address)
    {
        try
        {
            RequestContext.Set(IPlacementDirector.PlacementHintKey, address);
            var answer = await grains.GetGrain<ISiloDescriptionGrain>(address.ToParsableString()).GetMetadataAsync().WaitAsync(AskTimeout, time);
            if (answer is not null)
            {
                var described = SiloSlotsMetadata.FromMetadata(answer);
                _described[address] = described;
                if (described is not null)
                {
                    LogDescribedBySilo(address.ToParsableString(), described.Slots.Count);
                }

                lock (_asking)
                {
                    _asking.Remove(address);
                }

                return;
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogAskFailed(address.ToParsableString(), exception.Message);
        }

        lock (_asking)
        {
            _asking[address] = time.GetUtcNow() + AskAgainAfter;
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {SiloId} described itself ({Slots} slot(s)); Orleans' metadata cache had nothing for it")]
    private partial void LogDescribedBySilo(string siloId, int slots);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Silo {SiloId} did not describe itself yet: {Reason}")]
    private partial void LogAskFailed(string siloId, string reason);
}
