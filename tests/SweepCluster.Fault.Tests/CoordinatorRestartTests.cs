using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// The coordinator process SIGKILLed mid-sweep and started again (same ports, same database): the trials keep
/// training on their silo meanwhile (their grains live there and store their points themselves), and the sweep
/// completes with no attempt lost and every point once.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class CoordinatorRestartTests(FaultPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_coordinator_killed_and_restarted_mid_sweep_leaves_its_trials_training_and_the_sweep_completes()
    {
        var store = await FaultPostgres.CreateStoreAsync(postgres.Server, "127.0.0.1", "coordinator_restart");
        await using var cluster = FaultCluster.Create("coordinator-restart", store, output);
        var sweepId = await OutageScenario.StartAsync(cluster, "coordinator-restart");
        var running = await OutageScenario.WaitUntilTrainingAsync(cluster, sweepId);
        cluster.Note($"training: {string.Join("; ", running)}");

        cluster.KillCoordinator();
        var killedAt = DateTimeOffset.UtcNow;

        // The outage: a few seconds with nothing listening, then a new coordinator process on the same ports.
        await Task.Delay(TimeSpan.FromSeconds(3));
        cluster.StartCoordinator();
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var backAt = DateTimeOffset.UtcNow;
        var timing = $"coordinator down {(backAt - killedAt).TotalSeconds:0.0} s";
        cluster.Note(timing);

        var points = await OutageScenario.CheckFinishedAsync(cluster, sweepId, timing);

        // Training went on while there was no coordinator: points were stored inside the outage.
        var during = points.Values.SelectMany(p => p).Count(p => p.RecordedAt > killedAt && p.RecordedAt < backAt);
        cluster.Note($"{during} point(s) stored while the coordinator was down");
        Assert.True(during > 0, $"{timing}. No point was stored while the coordinator was down: the trials did not train on.\n{cluster.Diagnostics()}");
    }
}
