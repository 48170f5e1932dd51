using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// <see cref="MembershipClusterSlots"/> in a two-silo in-process cluster whose Orleans metadata caches hold nothing, as a
/// cache does after its one fetch of a joining silo's metadata failed and no membership change came to retry it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MembershipClusterSlotsTests
{
    [Fact]
    public async Task Silos_the_metadata_cache_missed_are_described_by_asking_each_silo_itself()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((options, silo) =>
        {
            var slots = options.SiloName.EndsWith('0') ? 1 : 2;
            silo.UseSiloMetadata(SiloSlotsMetadata.ToMetadata(new SiloInfo(options.SiloName, options.SiloName,
                new Dictionary<string, string> { ["zone"] = options.SiloName }, [.. Enumerable.Range(0, slots).Select(i => new SlotInfo($"cpu{i}", null, null, 0))])));
            silo.Services.AddSingleton<ISiloMetadataCache>(new MissedEverything());
            silo.Services.TryAddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IClusterSlots, MembershipClusterSlots>();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync();
        var names = cluster.Silos.ToDictionary(s => s.SiloAddress.ToParsableString(), s => s.Name, StringComparer.Ordinal);
        Assert.Equal(2, names.Count);

        // Asked from the first silo: the second answers through a grain placed on it by the placement hint.
        var slotsView = cluster.Silos[0].ServiceProvider.GetRequiredService<IClusterSlots>();
        IReadOnlyList<SiloInfo> active = [];
        for (var i = 0; i < 300 && active.Count < 2; i++)
        {
            await Task.Delay(100);
            active = slotsView.ActiveSilos();
        }

        Assert.Equal(names.Keys.Order(StringComparer.Ordinal), active.Select(s => s.Id).Order(StringComparer.Ordinal));
        foreach (var silo in active)
        {
            Assert.Equal(names[silo.Id], silo.Labels["zone"]);
            Assert.Equal(names[silo.Id].EndsWith('0') ? 1 : 2, silo.Slots.Count);
        }
    }

    /// <summary>A metadata cache that has nothing for any silo.</summary>
    private sealed class MissedEverything : ISiloMetadataCache
    {
        public SiloMetadata GetSiloMetadata(SiloAddress siloAddress) => SiloMetadata.Empty;
    }
}
