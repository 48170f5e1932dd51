using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// The Orleans hosting every SweepCluster silo shares: <see cref="UseSweepClusterEmbedded"/> for the one-process
/// embedded mode, <see cref="UseSweepClusterPostgres"/> for a silo of the cluster mode.
/// </summary>
/// <remarks>
/// Each registers the grain storage providers the grains name (<see cref="SweepClusterStorageNames"/>), a reminder
/// service, the membership settings of <see cref="SweepClusterMembership"/> and the silo's metadata
/// (<see cref="SiloSlotsMetadata"/>, through Orleans' <c>UseSiloMetadata</c>, which must not be called a second time
/// on the same silo). Call one of them once per silo.
/// </remarks>
public static class SweepClusterSiloBuilderExtensions
{
    /// <summary>The service id of both modes unless the options name another.</summary>
    public const string DefaultServiceId = "sweepcluster";

    /// <summary>The ADO.NET invariant name of Npgsql, as Orleans' providers know it.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// One silo on 127.0.0.1 (localhost clustering on a free port unless one is named), grain state in the SQLite file
    /// <see cref="EmbeddedOrleansOptions.GrainStatePath"/> under every name of <see cref="SweepClusterStorageNames"/>,
    /// in-memory reminders (the embedded mode re-arms its trials at start-up; reminders are registered so grain code
    /// that sets them runs in both modes).
    /// </summary>
    public static ISiloBuilder UseSweepClusterEmbedded(this ISiloBuilder builder, EmbeddedOrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.StateDirectory);

        var siloPort = options.SiloPort ?? FreeLoopbackPort();
        builder.UseLocalhostClustering(siloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        builder.Services.AddSingleton(new SqliteGrainStateFile(options.GrainStatePath));
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SqliteGrainStateFile>());
        foreach (var name in SweepClusterStorageNames.All)
        {
            builder.Services.AddGrainStorage(name, (sp, storageName) => new SqliteGrainStorage(
                storageName,
                sp.GetRequiredService<SqliteGrainStateFile>(),
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()),
                sp.GetRequiredService<IActivatorProvider>(),
                sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        }

        builder.UseInMemoryReminderService();
        return builder.UseSweepClusterCommon(options.Silo);
    }

    /// <summary>
    /// A silo of the cluster: ADO.NET clustering, grain storage (every name of <see cref="SweepClusterStorageNames"/>)
    /// and reminders on the PostgreSQL database of <see cref="ClusterOrleansOptions.ConnectionString"/>, whose Orleans
    /// tables are created when the silo starts unless <see cref="ClusterOrleansOptions.ApplySchema"/> is off.
    /// </summary>
    public static ISiloBuilder UseSweepClusterPostgres(this ISiloBuilder builder, ClusterOrleansOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var connectionString = PostgresConnectionString.Normalize(options.ConnectionString);

        builder.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        builder.Configure<EndpointOptions>(endpoints =>
        {
            // Left null, Orleans picks this host's first non-loopback IPv4 address when the silo starts.
            if (options.AdvertisedAddress is not null)
            {
                endpoints.AdvertisedIPAddress = options.AdvertisedAddress;
            }

            endpoints.SiloPort = options.SiloPort;
            endpoints.GatewayPort = options.GatewayPort;
            if (options.ListenOnAnyAddress)
            {
                endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
                endpoints.GatewayListeningEndpoint = options.GatewayPort == 0 ? null : new IPEndPoint(IPAddress.Any, options.GatewayPort);
            }
        });

        if (options.ApplySchema)
        {
            builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(new OrleansPostgresSchemaParticipant(connectionString));
        }

        builder.UseAdoNetClustering(clustering =>
        {
            clustering.Invariant = NpgsqlInvariant;
            clustering.ConnectionString = connectionString;
        });
        foreach (var name in SweepClusterStorageNames.All)
        {
            builder.AddAdoNetGrainStorage(name, storage => storage.Configure<Serializer>((o, serializer) =>
            {
                o.Invariant = NpgsqlInvariant;
                o.ConnectionString = connectionString;
                // As the embedded storage: the Orleans serializer honours the state types' [Id] versioning.
                o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            }));
        }

        builder.UseAdoNetReminderService(reminders =>
        {
            reminders.Invariant = NpgsqlInvariant;
            reminders.ConnectionString = connectionString;
        });
        return builder.UseSweepClusterCommon(options.Silo);
    }

    private static ISiloBuilder UseSweepClusterCommon(this ISiloBuilder builder, SiloInfo? silo)
    {
        // The grains and their state types, whatever assembly the host process starts from.
        builder.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(TrialGrain).Assembly));
        builder.UseSweepClusterMembership();
        // Always registered, so a placement director can depend on ISiloMetadataCache on every silo.
        builder.UseSiloMetadata(silo is null ? [] : SiloSlotsMetadata.ToMetadata(silo));
        // Every silo reports its grains and calls to the Orleans dashboard, which the coordinator serves (/dashboard).
        // Its live log stream is off: the log can name paths and hosts the dashboard's readers need not see.
        builder.AddDashboard(options => options.HideTrace = true);
        return builder;
    }

    /// <summary>
    /// Grain state in memory (the default storage and the trial grains'), written with the Orleans serializer as every
    /// other host does: the memory storage's default JSON serializer cannot read the state's immutable collections
    /// back, so a trial grain could not be activated again. For silos of tests and benchmarks, which keep nothing.
    /// </summary>
    public static ISiloBuilder AddSweepClusterMemoryStorage(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddMemoryGrainStorageAsDefault(OrleansSerialized)
            .AddMemoryGrainStorage(TrialGrain.StorageName, OrleansSerialized);

        static void OrleansSerialized(OptionsBuilder<MemoryGrainStorageOptions> storage) =>
            storage.Configure<Serializer>((options, serializer) => options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
    }

    /// <summary>A TCP port free on 127.0.0.1 now (for a silo or gateway port).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
