using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Hosting;

/// <summary>The client side of <see cref="SweepClusterSiloBuilderExtensions.UseSweepClusterPostgres"/>: a process outside the cluster that calls its grains.</summary>
public static class SweepClusterClientBuilderExtensions
{
    /// <summary>
    /// Finds the cluster's gateways in the PostgreSQL membership table of <see cref="ClusterOrleansOptions.ConnectionString"/>
    /// (same service and cluster id as the silos) and applies <see cref="SweepClusterMembership"/>'s client timeouts. The
    /// silo-only options (ports, schema, slots) are ignored; the client never changes the database.
    /// </summary>
    public static IClientBuilder UseSweepClusterPostgres(this IClientBuilder builder, ClusterOrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = PostgresConnectionString.Normalize(options.ConnectionString);
        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = SweepClusterSiloBuilderExtensions.NpgsqlInvariant;
            clustering.ConnectionString = connectionString;
        });
        // The grain interfaces and their messages, whatever assembly the client process starts from.
        builder.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(ITrialGrain).Assembly));
        return builder.UseSweepClusterMembership();
    }
}
