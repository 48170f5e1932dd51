using Orleans.Connections.Security;
using Orleans.Hosting;

namespace SweepCluster.Cluster.Hosting;

/// <summary>TLS on a silo's connections: to and from other silos, and from clients on its gateway.</summary>
public static class SweepClusterTlsExtensions
{
    /// <summary>
    /// Encrypts and authenticates every connection of the silo with <paramref name="options"/> (mutual TLS: each side
    /// presents its certificate and checks the other's with <see cref="ClusterTlsOptions.IsTrustedPeer"/>). Every silo of
    /// the cluster must use it, or none: a silo without TLS cannot talk to one with it. A client connecting to the
    /// gateway needs a trusted certificate too.
    /// </summary>
    public static ISiloBuilder UseSweepClusterTls(this ISiloBuilder builder, ClusterTlsOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        var clock = time ?? TimeProvider.System;
        return builder.UseTls(options.Certificate, tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            // Replaces the platform's checks (chain to the machine's roots, host name): peers are recognised by the
            // cluster's own rule, and silos address each other by IP.
            tls.RemoteCertificateValidation = (certificate, chain, _) => options.IsTrustedPeer(certificate, chain, clock.GetUtcNow());
        });
    }
}
