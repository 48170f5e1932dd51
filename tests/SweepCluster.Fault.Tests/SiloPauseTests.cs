using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A trainer silo hung with SIGSTOP (its trial child trains on into a full pipe) for longer than membership takes to
/// declare it dead: its trial resumes on the other silo from its last checkpoint; then SIGCONT, and everything the
/// stale silo still sends for its old attempt is refused and changes nothing.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class SiloPauseTests(FaultPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_hung_past_detection_loses_its_trial_to_another_silo_and_its_late_reports_change_nothing()
    {
        var store = await FaultPostgres.CreateStoreAsync(postgres.Server, "127.0.0.1", "silo_pause");
        await using var cluster = FaultCluster.Create("silo-pause", store, output);
        cluster.StartCoordinator();
        cluster.StartSilo("s1", cpuSlots: 1);
        cluster.StartSilo("s2", cpuSlots: 1);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var submitted = cluster.SubmitAsync("silo-pause", rows: 1);
        await cluster.WaitForSilosAsync(FaultTimeouts.Start, "s1", "s2");
        var sweepId = await submitted;

        await StaleSiloScenario.RunAsync(cluster, sweepId, "SIGSTOP", silo => silo.Pause(), silo => silo.Resume());
    }
}
