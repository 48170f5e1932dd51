using Microsoft.Extensions.Logging;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Store;

namespace SweepCluster.Coordinator;

/// <summary>How to host the coordinator: its store, address, tokens, Orleans silo and limits.</summary>
public sealed record CoordinatorHostOptions
{
    /// <summary>An open store owned by the caller (it is not disposed with the host). Takes precedence over <see cref="SqlitePath"/>.</summary>
    public ITrialStore? Store { get; init; }

    /// <summary>The SQLite database to open (created if missing) when no <see cref="Store"/> is given; the host owns and closes it.</summary>
    public string? SqlitePath { get; init; }

    /// <summary>Where to listen; loopback by default. Port 0 picks a free port (read it back with <see cref="CoordinatorHost.GetListenAddress"/>).</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>The silo token; when null, <see cref="SiloTokenFile"/> and then <c>SWEEPCLUSTER_SILO_TOKEN</c> are tried.</summary>
    public string? SiloToken { get; init; }

    /// <summary>The user token; when null, <see cref="UserTokenFile"/> and then <c>SWEEPCLUSTER_USER_TOKEN</c> are tried.</summary>
    public string? UserToken { get; init; }

    /// <summary>A file whose content (trimmed) is the silo token.</summary>
    public string? SiloTokenFile { get; init; }

    /// <summary>A file whose content (trimmed) is the user token.</summary>
    public string? UserTokenFile { get; init; }

    /// <summary>Largest JSON request body, in bytes.</summary>
    public long MaxJsonBodyBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>The clock; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// The Orleans silo this host is: clustering and grain storage (embedded SQLite or PostgreSQL), and for the embedded
    /// run the trainer runner. Required.
    /// </summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }

    /// <summary>Placement policy and, for an embedded run, the only sweep to schedule.</summary>
    public Action<SchedulerOptions>? ConfigureScheduler { get; init; }

    /// <summary>
    /// Grafana's address, linked from the web page's cluster view; when null, <c>SWEEPCLUSTER_GRAFANA_URL</c> is read, and
    /// without either there is no link.
    /// </summary>
    public string? GrafanaUrl { get; init; }

    /// <summary>Adjusts logging (for example to quiet the embedded coordinator under a live progress display).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>The <c>service.name</c> of the host's traces and OTLP metrics (the embedded run passes its own).</summary>
    public string TelemetryServiceName { get; init; } = "sweepcluster-coordinator";

    /// <summary>
    /// Reads the options from configuration keys under <c>SweepCluster:</c> (<c>SqlitePath</c>,
    /// <c>SiloToken</c>, <c>UserToken</c>, <c>SiloTokenFile</c>, <c>UserTokenFile</c>, <c>MaxJsonBodyBytes</c>, <c>GrafanaUrl</c>); the
    /// listen address is ASP.NET's own <c>urls</c>.
    /// </summary>
    public static CoordinatorHostOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("SweepCluster");
        var defaults = new CoordinatorHostOptions();
        return defaults with
        {
            SqlitePath = section["SqlitePath"] ?? Path.Combine(".sweepcluster", "coordinator.db"),
            SiloToken = section["SiloToken"],
            UserToken = section["UserToken"],
            SiloTokenFile = section["SiloTokenFile"],
            UserTokenFile = section["UserTokenFile"],
            MaxJsonBodyBytes = Long(section["MaxJsonBodyBytes"]) ?? defaults.MaxJsonBodyBytes,
            GrafanaUrl = section["GrafanaUrl"],
        };
    }

    private static TimeSpan? Seconds(string? text) =>
        text is null ? null : TimeSpan.FromSeconds(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));

    private static long? Long(string? text) =>
        text is null ? null : long.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
