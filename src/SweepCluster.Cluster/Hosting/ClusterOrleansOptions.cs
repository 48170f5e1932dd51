using System.Net;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// How a silo (or client) of the cluster mode runs: ADO.NET clustering, grain storage and reminders on one
/// PostgreSQL database.
/// </summary>
public sealed class ClusterOrleansOptions
{
    /// <summary>The PostgreSQL database: a <c>postgres://</c> URL or an Npgsql connection string (<see cref="Store.PostgresConnectionString"/>).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Keys grain state and reminders; every silo and client of one deployment uses the same value, kept across upgrades.</summary>
    public string ServiceId { get; init; } = SweepClusterSiloBuilderExtensions.DefaultServiceId;

    /// <summary>Names the membership rows; silos with the same cluster id on one database form one cluster.</summary>
    public string ClusterId { get; init; } = "sweepcluster";

    public int SiloPort { get; init; } = 11111;

    /// <summary>The client gateway port; 0 runs no gateway.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>The address other silos and clients reach this silo at; null lets Orleans pick this host's first non-loopback IPv4 address.</summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>Listen on every interface (containers, where the advertised address is the pod's) instead of the advertised address only.</summary>
    public bool ListenOnAnyAddress { get; init; }

    /// <summary>
    /// Apply Orleans' vendored scripts to the database when the silo starts (<see cref="OrleansPostgresSchema"/>);
    /// idempotent and safe when several silos start together. Off for a database an operator prepares.
    /// </summary>
    public bool ApplySchema { get; init; } = true;

    /// <summary>The slots and labels this silo advertises through its silo metadata; null advertises none (a coordinator).</summary>
    public SiloInfo? Silo { get; init; }
}
