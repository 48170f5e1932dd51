using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>The coordinator's PostgreSQL server restarted (<c>pg_ctl restart -m fast</c>) mid-sweep.</summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PostgresRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_postgres_restart_mid_sweep_loses_no_attempt_and_no_point()
    {
        await using var postgres = await PostgresServer.StartNewAsync();
        await postgres.CreateDatabaseAsync("fault");
        await using var cluster = FaultCluster.Create("postgres-restart");
        await OutageScenario.RunAsync(cluster, $"postgres://postgres@127.0.0.1:{postgres.Port}/fault", "postgres-restart", postgres.RestartAsync, output);
    }
}
