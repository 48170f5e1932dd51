using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// TLS between the silos of a cluster (<see cref="SweepClusterTlsExtensions.UseSweepClusterTls"/>): this silo's
/// certificate and how it recognises its peers. Both directions authenticate (mutual TLS), so a process without a
/// trusted certificate can neither join nor be called.
/// </summary>
/// <remarks>
/// Two ways to trust a peer: with <see cref="TrustedAuthorities"/>, its certificate must chain to one of them (a
/// cluster CA, for example cert-manager's <c>ca.crt</c>); without, it must present this silo's own certificate, which
/// suits one certificate shared by every pod through a Secret (each side proves it holds the key during the handshake).
/// Host names are not checked: silos call each other by IP address. The certificate must allow both server and client
/// authentication (no extended key usage, or both usages).
/// </remarks>
public sealed class ClusterTlsOptions
{
    private ClusterTlsOptions(X509Certificate2 certificate, X509Certificate2Collection? trustedAuthorities)
    {
        Certificate = certificate;
        TrustedAuthorities = trustedAuthorities;
    }

    /// <summary>This silo's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificates a peer's must chain to; null when a peer must present <see cref="Certificate"/> itself.</summary>
    public X509Certificate2Collection? TrustedAuthorities { get; }

    /// <summary>
    /// Loads a PEM certificate (chain) and its PEM private key (PKCS#8, PKCS#1 or SEC1; the files of a
    /// <c>kubernetes.io/tls</c> Secret), and optionally a PEM bundle of trusted authorities.
    /// </summary>
    /// <exception cref="ArgumentException">A file cannot be read or holds no usable certificate or key; the message names the file.</exception>
    public static ClusterTlsOptions FromPemFiles(string certificatePath, string keyPath, string? trustedAuthoritiesPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        X509Certificate2 certificate;
        try
        {
            using var ephemeral = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // A key loaded from PEM is ephemeral; SslStream wants one it can hand to the platform's TLS, so round-trip it.
            certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS certificate '{certificatePath}' with key '{keyPath}': {e.Message}", nameof(certificatePath), e);
        }

        if (trustedAuthoritiesPath is null)
        {
            return new ClusterTlsOptions(certificate, null);
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(trustedAuthoritiesPath);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"TLS authorities '{trustedAuthoritiesPath}': {e.Message}", nameof(trustedAuthoritiesPath), e);
        }

        if (authorities.Count == 0)
        {
            throw new ArgumentException($"TLS authorities '{trustedAuthoritiesPath}': no PEM certificate in it", nameof(trustedAuthoritiesPath));
        }

        return new ClusterTlsOptions(certificate, authorities);
    }

    /// <summary>Options over certificates already in memory (tests, hosts that load them elsewhere).</summary>
    public static ClusterTlsOptions FromCertificates(X509Certificate2 certificate, X509Certificate2Collection? trustedAuthorities = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"TLS certificate {certificate.Subject}: no private key", nameof(certificate));
        }

        return new ClusterTlsOptions(certificate, trustedAuthorities);
    }

    /// <summary>
    /// Whether a peer presenting <paramref name="remote"/> (with the intermediates of <paramref name="presentedChain"/>, if
    /// any) is a member of the cluster at <paramref name="now"/>: valid then, and either this silo's own certificate or
    /// chaining to <see cref="TrustedAuthorities"/>. Revocation is not checked.
    /// </summary>
    public bool IsTrustedPeer(X509Certificate2 remote, X509Chain? presentedChain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (now < remote.NotBefore || now > remote.NotAfter)
        {
            return false;
        }

        if (TrustedAuthorities is null)
        {
            return remote.RawDataMemory.Span.SequenceEqual(Certificate.RawDataMemory.Span);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(TrustedAuthorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (presentedChain is not null)
        {
            foreach (var element in presentedChain.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(remote);
    }
}
