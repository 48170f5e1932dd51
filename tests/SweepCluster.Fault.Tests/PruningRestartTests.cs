using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A pruning decision outlives every process that knew of it: right after a configuration is pruned, the coordinator
/// and the trainer silo are SIGKILLed together (the sweep grain that decided lived in one of them), and a new
/// coordinator and a new silo on the same PostgreSQL database finish the sweep. The pruned trial stays pruned, in its
/// one attempt, and is neither run again nor resumed; the sweep grain, read back from its stored log, judges the rest.
/// </summary>
[Collection(FaultCollection.Name)]
[Trait("Category", "Integration")]
[Trait("Category", "Slow")]
public sealed class PruningRestartTests(FaultPostgres postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_pruned_trial_stays_pruned_after_every_process_is_killed_right_after_the_decision()
    {
        var store = await FaultPostgres.CreateStoreAsync(postgres.Server, "127.0.0.1", "pruning_restart");
        await using var cluster = FaultCluster.Create("pruning-restart", store, output);
        cluster.StartCoordinator();
        var trainer = cluster.StartSilo("trainer", cpuSlots: 1);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        await cluster.WaitForSilosAsync(FaultTimeouts.Start, "trainer");
        var sweepId = await cluster.SubmitTextAsync("pruning", FaultSweep.Prunable("pruning"), rows: 3);

        var frozen = await cluster.WaitUntilAsync(
            async () => (await cluster.GetTrialsAsync(sweepId)).FirstOrDefault(t => t.ConfigName == "frozen" && t.State == "pruned"),
            FaultTimeouts.Training, "the frozen configuration to be pruned");
        trainer.KillTree();
        cluster.KillCoordinator();
        cluster.Note($"SIGKILL to the trainer silo (pid {trainer.Id}) and the coordinator right after {frozen}");

        cluster.StartCoordinator();
        cluster.StartSilo("trainer-2", cpuSlots: 1);
        await cluster.WaitForCoordinatorAsync(FaultTimeouts.Start);
        var trials = await cluster.WaitForSweepToFinishAsync(sweepId, FaultTimeouts.Training);
        cluster.Note($"sweep finished: {string.Join("; ", trials)}");

        var after = trials.Single(t => t.Id == frozen.Id);
        Assert.True(after.State == "pruned" && after.CurrentAttempt == 1, $"The pruned trial should stay pruned in attempt 1: {after}\n{cluster.Diagnostics()}");
        var attempts = await cluster.GetAttemptsAsync(frozen.Id);
        Assert.True(attempts.Count == 1, $"The pruned trial was run again: {string.Join(", ", attempts)}\n{cluster.Diagnostics()}");
        var events = (await cluster.GetEventsAsync(sweepId)).Where(e => e.TrialId == frozen.Id).Select(e => $"{e.Kind} attempt {e.Attempt}: {e.Message}").ToList();
        cluster.Note($"events of {frozen.Id}:\n    {string.Join("\n    ", events)}");
        Assert.True(events.Count(e => e.Contains("pruned at epoch", StringComparison.Ordinal)) == 1,
            $"The trial should have been pruned once, never judged again:\n{string.Join("\n", events)}");
        Assert.All(trials.Where(t => t.Id != frozen.Id), t => Assert.True(t.HasSucceeded, $"{t} should have succeeded\n{cluster.Diagnostics()}"));
        Assert.Equal(1, trials.Single(t => t.ConfigName == "learns").CurrentAttempt);
    }
}
