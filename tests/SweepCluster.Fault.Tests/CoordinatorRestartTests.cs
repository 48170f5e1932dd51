using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>The coordinator SIGKILLed mid-sweep and started again on the same port and SQLite store.</summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CoordinatorRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_killed_and_restarted_mid_sweep_loses_no_attempt_and_no_point()
    {
        await using var cluster = FaultCluster.Create("coordinator-restart");
        await OutageScenario.RunAsync(cluster, $"sqlite:{Path.Combine(cluster.Directory, "store.db")}", "coordinator-restart", async () =>
        {
            cluster.KillCoordinator();

            // The outage the issue asks for: about two seconds with nothing listening on the port.
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.RestartCoordinatorAsync();
        }, output);
    }
}
