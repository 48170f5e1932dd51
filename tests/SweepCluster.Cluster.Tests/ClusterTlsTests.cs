using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;
using SweepCluster.Cluster.Hosting;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>TLS between silos (<see cref="ClusterTlsOptions"/>, <see cref="SweepClusterTlsExtensions"/>): which peers are trusted, and real silos over PostgreSQL membership.</summary>
public sealed class ClusterTlsTests(ITestOutputHelper output)
{
    // Certificates are made around the real time: the integration test's silos check them against the system clock.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    [Trait("Category", "Unit")]
    public void Without_authorities_a_peer_must_present_this_silos_own_certificate()
    {
        using var shared = SelfSigned("sweepcluster-silo");
        using var impostor = SelfSigned("sweepcluster-silo");
        var tls = ClusterTlsOptions.FromCertificates(shared);

        Assert.True(tls.IsTrustedPeer(Public(shared), null, Now));
        // Same subject, another key: not the shared certificate.
        Assert.False(tls.IsTrustedPeer(Public(impostor), null, Now));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void With_authorities_a_peer_must_chain_to_one_of_them()
    {
        using var authority = Authority("sweepcluster-ca");
        using var otherAuthority = Authority("other-ca");
        using var ours = IssuedBy(authority, "silo-0");
        using var peer = IssuedBy(authority, "silo-1");
        using var stranger = IssuedBy(otherAuthority, "silo-1");
        var tls = ClusterTlsOptions.FromCertificates(ours, [Public(authority)]);

        Assert.True(tls.IsTrustedPeer(Public(peer), null, Now));
        Assert.False(tls.IsTrustedPeer(Public(stranger), null, Now));
        Assert.False(tls.IsTrustedPeer(Public(otherAuthority), null, Now));
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void A_certificate_outside_its_validity_is_refused_in_both_modes()
    {
        using var authority = Authority("sweepcluster-ca");
        using var shared = IssuedBy(authority, "silo-0");
        var pinned = ClusterTlsOptions.FromCertificates(shared);
        var chained = ClusterTlsOptions.FromCertificates(shared, [Public(authority)]);

        foreach (var tls in new[] { pinned, chained })
        {
            Assert.True(tls.IsTrustedPeer(Public(shared), null, Now));
            Assert.False(tls.IsTrustedPeer(Public(shared), null, Now.AddDays(400)));
            Assert.False(tls.IsTrustedPeer(Public(shared), null, Now.AddDays(-400)));
        }
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Pem_files_of_a_tls_secret_load_with_their_key_and_a_wrong_key_is_named()
    {
        using var directory = new TempDirectory();
        using var authority = Authority("sweepcluster-ca");
        using var silo = IssuedBy(authority, "silo-0");
        using var other = IssuedBy(authority, "silo-1");
        File.WriteAllText(directory.File("tls.crt"), silo.ExportCertificatePem());
        File.WriteAllText(directory.File("tls.key"), silo.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(directory.File("other.key"), other.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(directory.File("ca.crt"), authority.ExportCertificatePem());

        var tls = ClusterTlsOptions.FromPemFiles(directory.File("tls.crt"), directory.File("tls.key"), directory.File("ca.crt"));

        Assert.True(tls.Certificate.HasPrivateKey);
        Assert.Equal(silo.Thumbprint, tls.Certificate.Thumbprint);
        Assert.Equal(authority.Thumbprint, Assert.Single(tls.TrustedAuthorities!).Thumbprint);
        var wrongKey = Assert.Throws<ArgumentException>(() => ClusterTlsOptions.FromPemFiles(directory.File("tls.crt"), directory.File("other.key")));
        Assert.Contains("other.key", wrongKey.Message, StringComparison.Ordinal);
        var noAuthorities = Assert.Throws<ArgumentException>(() => ClusterTlsOptions.FromPemFiles(directory.File("tls.crt"), directory.File("tls.key"), directory.File("tls.key")));
        Assert.Contains("no PEM certificate", noAuthorities.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Unit")]
    public void Kubernetes_ids_in_the_environment_must_match_the_options()
    {
        var options = new ClusterOrleansOptions { ConnectionString = "postgres://u:p@db/x", ClusterId = "blue" };
        static string? Lookup(Dictionary<string, string> variables, string name) => variables.GetValueOrDefault(name);

        Assert.Null(SweepClusterKubernetesExtensions.IdentityConflict(options, name => Lookup([], name)));
        Assert.Null(SweepClusterKubernetesExtensions.IdentityConflict(options, name => Lookup(
            new() { ["ORLEANS_CLUSTER_ID"] = "blue", ["ORLEANS_SERVICE_ID"] = SweepClusterSiloBuilderExtensions.DefaultServiceId }, name)));
        Assert.Contains("ORLEANS_CLUSTER_ID=green", SweepClusterKubernetesExtensions.IdentityConflict(options, name => Lookup(
            new() { ["ORLEANS_CLUSTER_ID"] = "green" }, name))!, StringComparison.Ordinal);
        Assert.Contains("ORLEANS_SERVICE_ID=other", SweepClusterKubernetesExtensions.IdentityConflict(options, name => Lookup(
            new() { ["ORLEANS_SERVICE_ID"] = "other" }, name))!, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_silos_with_trusted_certificates_form_one_cluster_over_tls(bool withAuthority)
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        var database = await postgres.CreateDatabaseAsync("tls_cluster");
        using var authority = Authority("sweepcluster-ca");
        using var shared = IssuedBy(authority, "sweepcluster-silo");
        using var other = IssuedBy(authority, "sweepcluster-silo-1");
        // One certificate for both (pinned), or each its own from the cluster's authority.
        var firstTls = withAuthority ? ClusterTlsOptions.FromCertificates(shared, [Public(authority)]) : ClusterTlsOptions.FromCertificates(shared);
        var secondTls = withAuthority ? ClusterTlsOptions.FromCertificates(other, [Public(authority)]) : firstTls;

        var fatal = new RecordingFatalErrorHandler();

        await using var first = await StartAsync(database, firstTls, fatal, "first, TLS");
        await using var second = await StartAsync(database, secondTls, fatal, "second, TLS");

        // The second silo only becomes active after probing the first over its TLS connection; both then list both.
        Assert.Equal(2, ActiveMembers(first));
        Assert.Equal(2, ActiveMembers(second));
        Assert.Empty(fatal.Errors);
    }

    private async Task<SiloHost> StartAsync(string connectionString, ClusterTlsOptions tls, RecordingFatalErrorHandler fatal, string label) =>
        await SiloHost.StartAsync(silo =>
        {
            silo.UseSweepClusterPostgres(new ClusterOrleansOptions
            {
                ConnectionString = connectionString,
                ClusterId = "tls-test",
                SiloPort = SiloHost.FreePort(),
                GatewayPort = 0,
                AdvertisedAddress = IPAddress.Loopback,
            }).UseSweepClusterTls(tls);
            // A silo declared dead (its TLS refused) would end the test process; here it is recorded instead. A silo
            // that cannot reach the others gives up joining after 30 s, not Orleans' 5 minutes.
            silo.Services.AddSingleton<IFatalErrorHandler>(fatal);
            silo.Configure<ClusterMembershipOptions>(membership => membership.MaxJoinAttemptTime = TimeSpan.FromSeconds(30));
        }, output, label);

    private static int ActiveMembers(SiloHost silo) =>
        silo.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);

    /// <summary>Records Orleans' fatal errors (a silo told it is dead) instead of ending the process.</summary>
    private sealed class RecordingFatalErrorHandler : IFatalErrorHandler
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _errors = new();

        public IReadOnlyCollection<string> Errors => _errors;

        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null) =>
            _errors.Enqueue($"{context}: {exception?.Message}");
    }

    private static X509Certificate2 Public(X509Certificate2 certificate) => X509CertificateLoader.LoadCertificate(certificate.RawData);

    private static X509Certificate2 SelfSigned(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Exportable(request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(365)));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return Exportable(request.CreateSelfSigned(Now.AddDays(-10), Now.AddYears(5)));
    }

    private static X509Certificate2 IssuedBy(X509Certificate2 authority, string name)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        using var issued = request.Create(authority, Now.AddDays(-1), Now.AddDays(365), serial);
        return Exportable(issued.CopyWithPrivateKey(key));
    }

    /// <summary>A certificate whose key SslStream can use on every platform (not an ephemeral one).</summary>
    private static X509Certificate2 Exportable(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
        }
    }
}
