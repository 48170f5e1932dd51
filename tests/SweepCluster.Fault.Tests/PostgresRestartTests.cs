using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// The cluster's PostgreSQL server restarted (<c>pg_ctl restart -m fast</c>: every connection cut) mid-sweep: grain
/// writes, metric batches and membership rows fail for a while and are retried; the sweep completes with every trial
/// in its first attempt and no point lost or stored twice.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class PostgresRestartTests(FaultPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_postgres_restart_mid_sweep_loses_no_attempt_and_no_point()
    {
        var store = await FaultPostgres.CreateStoreAsync(postgres.Server, "127.0.0.1", "postgres_restart");
        await using var cluster = FaultCluster.Create("postgres-restart", store, output);
        var sweepId = await OutageScenario.StartAsync(cluster, "postgres-restart");
        var running = await OutageScenario.WaitUntilTrainingAsync(cluster, sweepId);
        cluster.Note($"training: {string.Join("; ", running)}");

        var restartAt = DateTimeOffset.UtcNow;
        await postgres.Server.RestartAsync();
        var timing = $"PostgreSQL restarted in {(DateTimeOffset.UtcNow - restartAt).TotalSeconds:0.0} s";
        cluster.Note(timing);

        await OutageScenario.CheckFinishedAsync(cluster, sweepId, timing);
    }
}
