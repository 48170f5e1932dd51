using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using Xunit.Abstractions;
using static SweepCluster.Cluster.Tests.TrialCalls;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The cluster mode's silo (<see cref="SweepClusterSiloBuilderExtensions.UseSweepClusterPostgres"/>): real silo hosts
/// on 127.0.0.1 with ADO.NET clustering, grain storage and reminders on a real PostgreSQL server, one fresh database
/// per test whose Orleans tables the silos create themselves.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OrleansPostgresHostingTests(PostgresServerFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresServerFixture>, IAsyncLifetime
{
    private const int ActiveStatus = 3;

    private readonly string _database = "orleans_hosting_" + Guid.NewGuid().ToString("N");
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await fixture.Server.CreateDatabaseAsync(_database);

    public Task DisposeAsync() => fixture.Server.DropDatabaseAsync(_database);

    [Fact]
    public async Task Trial_state_written_by_one_silo_is_read_back_by_a_new_silo()
    {
        var trialId = $"trial-{Guid.NewGuid():N}";
        TrialView before;
        string firstSilo;
        await using (var silo = await StartAsync(null, "PostgreSQL, empty database: Orleans tables created"))
        {
            // A trial runs where it is placed: the silo id is the silo's own address.
            firstSilo = silo.Address.ToParsableString();
            var grain = silo.Grains.GetGrain<ITrialGrain>(trialId);
            await AcceptAsync(grain.CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 3 }));
            await AcceptAsync(grain.PlaceAsync(new AttemptPlacement { SiloId = firstSilo, Attempt = 1, SlotIds = ["gpu0"] }));
            await AcceptAsync(grain.ReportAsync(Report(1, firstSilo, 300, "ckpt-300")));
            before = await grain.GetAsync();
        }

        await using (var silo = await StartAsync(null, "PostgreSQL, tables present"))
        {
            var after = await silo.Grains.GetGrain<ITrialGrain>(trialId).GetAsync();

            Assert.True(after.RecordExists);
            Assert.Equal(before.ETag, after.ETag);
            Assert.Equal(
                (TrialPhase.Running, 1, "ckpt-300", 300L, firstSilo),
                (after.State.Phase, after.State.CurrentAttempt, after.State.CheckpointRef, after.State.LastStep, after.State.Attempt!.SiloId));
        }

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM orleansstorage WHERE payloadbinary IS NOT NULL"));
    }

    [Fact]
    public async Task Two_silos_join_one_cluster_and_see_each_others_slots()
    {
        var gpuSilo = new SiloInfo("gpu-box", "gpu-box", new Dictionary<string, string> { ["zone"] = "a" },
            [new SlotInfo("gpu0", 0, "H200", 139.8), new SlotInfo("gpu1", 1, "H200", 139.8)]);
        var cpuSilo = new SiloInfo("cpu-box", "cpu-box", new Dictionary<string, string> { ["zone"] = "b", ["kind"] = "cpu" },
            [new SlotInfo("cpu0", null, null, 0)]);

        // Started together on an empty database: the schema is applied once between them.
        var started = await Task.WhenAll(StartAsync(gpuSilo, "PostgreSQL, two silos at once (gpu)"), StartAsync(cpuSilo, "PostgreSQL, two silos at once (cpu)"));
        await using var gpu = started[0];
        await using var cpu = started[1];

        var rows = await MembershipAsync();
        Assert.Equal(
            [(gpu.Address.Endpoint.Port, ActiveStatus), (cpu.Address.Endpoint.Port, ActiveStatus)],
            rows.OrderBy(r => r.Port == cpu.Address.Endpoint.Port).Select(r => (r.Port, r.Status)));
        Assert.Equal(OrleansPostgresSchema.Scripts, await OrleansPostgresSchema.GetAppliedAsync(_connectionString, CancellationToken.None));

        var seenFromGpu = await WaitForSiloInfoAsync(gpu, cpu.Address);
        var seenFromCpu = await WaitForSiloInfoAsync(cpu, gpu.Address);
        AssertSame(cpuSilo, seenFromGpu);
        AssertSame(gpuSilo, seenFromCpu);
    }

    [Fact]
    public async Task A_client_finds_the_cluster_through_the_membership_table()
    {
        await using var silo = await StartAsync(null, "PostgreSQL, with gateway");
        var trialId = $"trial-{Guid.NewGuid():N}";
        await AcceptAsync(silo.Grains.GetGrain<ITrialGrain>(trialId).CreateAsync(new TrialDefinition { SweepId = "sweep-1", MaxAttempts = 2 }));

        using var client = new HostBuilder()
            .UseOrleansClient(c => c.UseSweepClusterPostgres(new ClusterOrleansOptions { ConnectionString = ToUrl(_connectionString), ClusterId = _database }))
            .ConfigureLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Warning))
            .Build();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await client.StartAsync(timeout.Token);
        }

        try
        {
            var view = await client.Services.GetRequiredService<IClusterClient>().GetGrain<ITrialGrain>(trialId).GetAsync();

            Assert.Equal(("sweep-1", 2), (view.State.SweepId, view.State.MaxAttempts));
        }
        finally
        {
            await client.StopAsync();
        }
    }

    private Task<SiloHost> StartAsync(SiloInfo? silo, string label) =>
        SiloHost.StartAsync(builder => builder.UseSweepClusterPostgres(new ClusterOrleansOptions
        {
            // A postgres:// URL, as operators write it.
            ConnectionString = ToUrl(_connectionString),
            ClusterId = _database,
            AdvertisedAddress = IPAddress.Loopback,
            SiloPort = SiloHost.FreePort(),
            GatewayPort = SiloHost.FreePort(),
            Silo = silo,
        }), output, label);

    private string ToUrl(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgres://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
    }

    private static async Task<SiloInfo> WaitForSiloInfoAsync(SiloHost observer, SiloAddress silo)
    {
        var cache = observer.Services.GetRequiredService<ISiloMetadataCache>();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (cache.GetSiloInfo(silo) is { } info)
            {
                return info;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{observer.Address} did not see the metadata of {silo} within 30 s.");
            await Task.Delay(100);
        }
    }

    private static void AssertSame(SiloInfo expected, SiloInfo actual)
    {
        Assert.Equal((expected.Id, expected.Name), (actual.Id, actual.Name));
        Assert.Equal(expected.Labels.OrderBy(l => l.Key, StringComparer.Ordinal), actual.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Slots, actual.Slots);
    }

    private async Task<List<(int Port, int Status)>> MembershipAsync()
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT port, status FROM orleansmembershiptable WHERE deploymentid = @cluster", connection);
        command.Parameters.AddWithValue("cluster", _database);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }

        return rows;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
