using System.CommandLine;
using System.Net;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Hosting;
using Orleans.Hosting;

namespace SweepCluster.Cli;

/// <summary>The command-line options of a cluster silo's Orleans endpoints (coordinator and trainer silos alike).</summary>
internal sealed class OrleansOptions
{
    private readonly Option<int> _siloPort;
    private readonly Option<int> _gatewayPort;
    private readonly Option<string?> _advertise;
    private readonly Option<string> _clusterId;
    private readonly Option<bool> _kubernetes;
    private readonly Option<string?> _tlsCert;
    private readonly Option<string?> _tlsKey;
    private readonly Option<string?> _tlsCa;

    private OrleansOptions(int defaultSiloPort, int defaultGatewayPort)
    {
        _siloPort = new Option<int>("--silo-port") { Description = "Port silos talk to each other on (cluster network only; no authentication)", DefaultValueFactory = _ => defaultSiloPort };
        _gatewayPort = new Option<int>("--gateway-port") { Description = "Orleans client gateway port; 0 for none (cluster network only)", DefaultValueFactory = _ => defaultGatewayPort };
        _advertise = new Option<string?>("--advertise") { Description = "IP address other silos reach this one on (default: this host's first non-loopback IPv4 address)" };
        _clusterId = new Option<string>("--cluster-id") { Description = "Silos with the same cluster id and database form one cluster", DefaultValueFactory = _ => "sweepcluster" };
        _kubernetes = new Option<bool>("--kubernetes")
        {
            Description = "Also use Kubernetes hosting: pod identity from POD_NAME, POD_NAMESPACE and POD_IP; a deleted pod's silo is declared dead at once "
                + "and a dead silo's pod is deleted (needs get, list, watch, patch and delete on pods; every silo of the cluster must be such a pod)",
        };
        _tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate for TLS between silos (with --tls-key; every silo of the cluster needs TLS then)" };
        _tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        _tlsCa = new Option<string?>("--tls-ca") { Description = "PEM authorities a peer's certificate must chain to (default: peers must present the --tls-cert certificate itself)" };
    }

    public static OrleansOptions Add(int defaultSiloPort, int defaultGatewayPort) => new(defaultSiloPort, defaultGatewayPort);

    public void AddTo(Command command)
    {
        command.Options.Add(_siloPort);
        command.Options.Add(_gatewayPort);
        command.Options.Add(_advertise);
        command.Options.Add(_clusterId);
        command.Options.Add(_kubernetes);
        command.Options.Add(_tlsCert);
        command.Options.Add(_tlsKey);
        command.Options.Add(_tlsCa);
    }

    public Endpoints Read(ParseResult result)
    {
        var advertise = result.GetValue(_advertise);
        IPAddress? address = null;
        if (advertise is not null && !IPAddress.TryParse(advertise, out address))
        {
            throw new UsageException($"--advertise '{advertise}': give an IP address, such as 10.0.0.12");
        }

        var silo = result.GetValue(_siloPort);
        var gateway = result.GetValue(_gatewayPort);
        if (silo is < 1 or > 65535 || gateway is < 0 or > 65535)
        {
            throw new UsageException($"--silo-port {silo} / --gateway-port {gateway}: give ports from 1 to 65535 (0 for no gateway)");
        }

        return new Endpoints(silo, gateway, address, result.GetValue(_clusterId)!, result.GetValue(_kubernetes), ReadTls(result));
    }

    private ClusterTlsOptions? ReadTls(ParseResult result)
    {
        var (certificate, key, authorities) = (result.GetValue(_tlsCert), result.GetValue(_tlsKey), result.GetValue(_tlsCa));
        if (certificate is null && key is null && authorities is null)
        {
            return null;
        }

        if (certificate is null || key is null)
        {
            throw new UsageException("--tls-cert and --tls-key: give both (PEM files), or neither to run without TLS");
        }

        try
        {
            // Loaded now, so a wrong path or key fails with one line before the silo starts.
            return ClusterTlsOptions.FromPemFiles(certificate, key, authorities);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--tls-cert/--tls-key/--tls-ca: {e.Message.Split(" (Parameter", 2)[0]}");
        }
    }

    /// <param name="Kubernetes">Add Kubernetes hosting (<see cref="SweepClusterKubernetesExtensions"/>).</param>
    /// <param name="Tls">TLS between silos, or null for none.</param>
    public sealed record Endpoints(int SiloPort, int GatewayPort, IPAddress? Advertise, string ClusterId, bool Kubernetes, ClusterTlsOptions? Tls)
    {
        /// <summary>The silo port and the optional parts in use, for the start-up line.</summary>
        public string Summary => $"silo port {SiloPort}" + (Tls is null ? string.Empty : ", TLS") + (Kubernetes ? ", Kubernetes hosting" : string.Empty);

        /// <summary>
        /// Makes <paramref name="silo"/> a silo of the cluster on <paramref name="connectionString"/>: PostgreSQL clustering,
        /// storage and reminders, then Kubernetes hosting and TLS when asked for.
        /// </summary>
        public ISiloBuilder Configure(ISiloBuilder silo, string connectionString, SiloInfo? info)
        {
            var options = ToOptions(connectionString, info);
            silo.UseSweepClusterPostgres(options);
            if (Kubernetes)
            {
                silo.UseSweepClusterKubernetes(options);
            }

            if (Tls is not null)
            {
                silo.UseSweepClusterTls(Tls);
            }

            return silo;
        }

        public ClusterOrleansOptions ToOptions(string connectionString, SiloInfo? silo) => new()
        {
            ConnectionString = connectionString,
            ClusterId = ClusterId,
            SiloPort = SiloPort,
            GatewayPort = GatewayPort,
            AdvertisedAddress = Advertise,
            // Kubernetes pods and machines listen on every interface; the chart keeps these ports off its Services.
            ListenOnAnyAddress = Advertise is null || !IPAddress.IsLoopback(Advertise),
            Silo = silo,
        };
    }
}
