using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Tests;

internal static class TrialStorage
{
    /// <summary>
    /// Memory grain storage for trial grains that writes state with the Orleans serializer, the one its
    /// <c>[Id]</c>-based versioning rules are written for. The silo's default storage serializer (Newtonsoft JSON)
    /// cannot read back a <see cref="TrialGrainState"/> with a definition: its labels are an immutable dictionary.
    /// </summary>
    public static ISiloBuilder AddTrialMemoryStorage(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(TrialGrain.StorageName, (OptionsBuilder<MemoryGrainStorageOptions> options) =>
            options.Configure<Serializer>((storage, serializer) => storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
}
