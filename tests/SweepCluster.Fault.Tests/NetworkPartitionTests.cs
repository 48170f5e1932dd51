using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A trainer silo in its own network namespace, cut off (the link to it down) for longer than membership takes to
/// declare it dead: its trial resumes on a silo outside from its last checkpoint; then the link comes back, and
/// everything the stale silo still sends for its old attempt is refused and changes nothing.
/// </summary>
/// <remarks>
/// The coordinator, the outside silo and PostgreSQL listen on the link's host side too (the coordinator's HTTP API
/// stays on loopback), so the silo inside reaches them only through the link.
/// </remarks>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class NetworkPartitionTests(ITestOutputHelper output)
{
    [NetworkNamespaceFact]
    public async Task A_silo_cut_off_past_detection_loses_its_trial_to_a_silo_outside_and_its_late_reports_change_nothing()
    {
        using var network = NetworkNamespace.Create();
        await using var postgres = await PostgresServer.StartNewAsync(network.HostAddress, $"{network.InnerAddress}/32");
        var store = await FaultPostgres.CreateStoreAsync(postgres, "127.0.0.1", "partition");
        await using var cluster = FaultCluster.Create("partition", store, output, advertise: network.HostAddress);
        cluster.Note($"network namespace {network.Name}: host side {network.HostAddress} ({network.HostInterface}), inside {network.InnerAddress}");
        cluster.StartCoordinator();

        // Placement packs trials onto the silo with the fewest free slots: once the scheduler places on both silos, the
        // trial lands inside. (Submitted before that, it could land on whichever silo the scheduler learned of first.)
        cluster.StartSilo("inside", cpuSlots: 1, wrapper: network.ExecPrefix, advertise: network.InnerAddress,
            store: store.Replace("@127.0.0.1:", $"@{network.HostAddress}:", StringComparison.Ordinal));
        cluster.StartSilo("outside", cpuSlots: 2);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var silos = await cluster.WaitForSilosAsync(FaultTimeouts.Start, "inside", "outside");
        var sweepId = await cluster.SubmitAsync("partition", rows: 1);
        var placed = await cluster.WaitUntilAsync(async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.AttemptSiloId is not null),
            FaultTimeouts.Training, "the trial to be placed");
        Assert.True(placed.AttemptSiloId == silos["inside"], $"The trial was placed on {placed.AttemptSiloId}, not on the silo inside ({silos["inside"]}).\n{cluster.Diagnostics()}");

        await StaleSiloScenario.RunAsync(cluster, sweepId, "link down", _ => network.SetLink(up: false), _ => network.SetLink(up: true));
    }
}
