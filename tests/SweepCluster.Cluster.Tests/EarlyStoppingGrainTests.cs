using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using SweepCluster.Cluster.EarlyStopping;
using SweepCluster.Cluster.Grains;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Lifecycle;
using SweepCluster.Cluster.Store;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Early stopping through the grains, on the embedded mode's real silo (grain state in SQLite) with the trial rows in a
/// SQLite store: the sweep grain decides, the trial grain ends as pruned and stops its attempt, and a decision survives
/// a silo killed between the decision and the runner's stop.
/// </summary>
[Trait("Category", "Integration")]
public sealed class EarlyStoppingGrainTests(ITestOutputHelper output)
{
    private const string Metric = "eval.psnr_cross";

    private static readonly StoppingPolicy Asha = new() { Rule = StoppingRule.Asha, Metric = Metric, GraceEpochs = 1, ReductionFactor = 3 };

    [Fact]
    public async Task The_sweep_grain_prunes_a_configuration_below_the_rung_with_all_its_seeds_and_nothing_after_the_decision_is_stored()
    {
        using var state = new TempDirectory("sweepcluster-es-");
        await using var store = await SqlTrialStore.OpenSqliteAsync(state.File("store.db"), TimeProvider.System, CancellationToken.None);
        var sweepId = "es-" + Guid.NewGuid().ToString("N")[..8];
        using var meter = new MeterCapture(sweepId);
        await SubmitAsync(store, sweepId, ("a", "ka", true), ("b", "kb", true), ("c0", "kc", true), ("c1", "kc", true), ("o", "ko", false));
        var sink = new RecordingSink();
        await using var silo = await StartAsync(state, store, sink, crash: null, "embedded, early stopping");
        foreach (var trial in new[] { "a", "b", "c0", "c1", "o" })
        {
            await PlaceAsync(silo, Id(sweepId, trial), sweepId);
        }

        Assert.Equal(PhaseOf(TrialPhase.Running), PhaseOf((await Report(silo, sweepId, "a", epoch: 1, psnr: 25)).Phase));
        await Report(silo, sweepId, "b", epoch: 1, psnr: 30);
        await Report(silo, sweepId, "o", epoch: 1, psnr: 5);
        // One seed of c alone is not judged: it trains on.
        Assert.Equal(TrialPhase.Running, (await Report(silo, sweepId, "c0", epoch: 1, psnr: 20)).Phase);
        Assert.Equal(TrialPhase.Running, (await Report(silo, sweepId, "c0", epoch: 2, psnr: 20.5)).Phase);

        // The second seed's batch holds its epoch-1 evaluation and the first steps of epoch 2: c (mean 20.5) is below the
        // rung's best of three, and the steps after the judged point are not stored.
        var reply = await Report(silo, sweepId, "c1", epoch: 1, psnr: 21, alsoNextEpoch: true);

        Assert.Equal(TrialPhase.Pruned, reply.Phase);
        Assert.Contains(reply.Decisions, d => d.Kind == TrialDecisionKind.StopAttempt && d.Attempt == 1);
        var c1 = Id(sweepId, "c1");
        var stored = await store.GetMetricPointsAsync(c1, CancellationToken.None);
        Assert.Equal([10L], stored.Select(p => p.Point.Step).Distinct());
        var view = (await silo.Grains.GetGrain<ITrialGrain>(c1).GetAsync()).State;
        Assert.Equal("pruned at epoch 1: eval.psnr_cross 20.5 is below the rung's top third (cut 30, 3 configurations at this rung; the mean of 2 seeds)", view.PrunedReason);
        Assert.Equal((1, AttemptPhase.Pruned), (view.PrunedAtEpoch!.Value, view.Attempt!.Phase));

        // The sibling seed, told without a wait, is pruned too; its runner is told to stop.
        var c0 = Id(sweepId, "c0");
        await WaitUntilAsync(async () => (await silo.Grains.GetGrain<ITrialGrain>(c0).GetAsync()).State.Phase == TrialPhase.Pruned, "c0 pruned");
        Assert.Contains(sink.For(c0), d => d.Kind == TrialDecisionKind.StopAttempt);
        var row = await store.GetTrialAsync(c0, CancellationToken.None);
        Assert.Equal((TrialState.Pruned, view.PrunedReason), (row!.Snapshot.State, row.Snapshot.StopReason));

        // A later report of the stopped attempt is refused and stores nothing.
        var late = await Report(silo, sweepId, "c1", epoch: 2, psnr: 40);
        Assert.False(late.Accepted);
        Assert.Single((await store.GetMetricPointsAsync(c1, CancellationToken.None)).Select(p => p.Point.Step).Distinct());

        // The opted-out row is neither judged nor pruned, however low it is; a and b went on.
        foreach (var trial in new[] { "a", "b", "o" })
        {
            Assert.Equal(TrialPhase.Running, (await silo.Grains.GetGrain<ITrialGrain>(Id(sweepId, trial)).GetAsync()).State.Phase);
        }

        Assert.Equal(
            [("continued", "asha"), ("continued", "asha"), ("pruned", "asha")],
            meter.Of("sweepcluster.early_stopping.decisions").Select(m => (m.Tags["decision"], m.Tags["rule"])));
        var events = await store.ListEventsAsync(new EventQuery { SweepId = sweepId }, CancellationToken.None);
        Assert.Equal(2, events.Count(e => e.Kind == "pruned"));
    }

    [Fact]
    public async Task A_silo_killed_between_the_decision_and_the_runners_stop_leaves_the_trial_pruned_exactly_once_after_the_restart()
    {
        using var state = new TempDirectory("sweepcluster-es-kill-");
        await using var store = await SqlTrialStore.OpenSqliteAsync(state.File("store.db"), TimeProvider.System, CancellationToken.None);
        var sweepId = "es-" + Guid.NewGuid().ToString("N")[..8];
        using var meter = new MeterCapture(sweepId);
        await SubmitAsync(store, sweepId, ("a", "ka", true), ("b", "kb", true));
        var a = Id(sweepId, "a");
        var b = Id(sweepId, "b");
        var crash = new CrashSwitch();
        var firstSink = new RecordingSink();
        string firstSilo;
        await using (var silo = await StartAsync(state, store, firstSink, crash, "embedded, early stopping, before the kill"))
        {
            firstSilo = silo.Address.ToParsableString();
            await PlaceAsync(silo, a, sweepId);
            await PlaceAsync(silo, b, sweepId);
            await Report(silo, sweepId, "a", epoch: 1, psnr: 30);

            // The sweep grain stores its decision; the process dies as the trial grain writes its pruned state: the runner
            // never hears of the stop, and the report's call fails.
            crash.Armed = true;
            await Assert.ThrowsAnyAsync<Exception>(() => Report(silo, sweepId, "b", epoch: 1, psnr: 20, alsoNextEpoch: true));
            Assert.True(crash.Fired);
        }

        Assert.DoesNotContain(firstSink.For(b), d => d.Kind == TrialDecisionKind.StopAttempt);
        Assert.Equal(TrialState.Running, (await store.GetTrialAsync(b, CancellationToken.None))!.Snapshot.State);

        var sink = new RecordingSink();
        await using (var silo = await StartAsync(state, store, sink, crash: null, "embedded, early stopping, after the restart"))
        {
            // The runner delivers the report again: the sweep grain answers from its log, and the trial is pruned.
            var retried = await Report(silo, sweepId, "b", epoch: 1, psnr: 20, alsoNextEpoch: true, siloId: firstSilo);
            Assert.Equal(TrialPhase.Pruned, retried.Phase);

            // Asked again (another retry, the sweep grain telling its pruned configurations at a later activation): nothing more.
            var again = await Report(silo, sweepId, "b", epoch: 1, psnr: 20, siloId: firstSilo);
            Assert.False(again.Accepted);
            var repeat = await silo.Grains.GetGrain<ITrialGrain>(b).PruneAsync("pruned again", 1);
            Assert.Equal(TrialPhase.Pruned, repeat.Phase);

            var view = (await silo.Grains.GetGrain<ITrialGrain>(b).GetAsync()).State;
            Assert.Equal(TrialPhase.Pruned, view.Phase);
            Assert.StartsWith("pruned at epoch 1: eval.psnr_cross 20 is below", view.PrunedReason, StringComparison.Ordinal);
            Assert.Single(sink.For(b), d => d.Kind == TrialDecisionKind.StopAttempt);
            Assert.Equal(TrialPhase.Running, (await silo.Grains.GetGrain<ITrialGrain>(a).GetAsync()).State.Phase);
        }

        var events = await store.ListEventsAsync(new EventQuery { TrialId = b }, CancellationToken.None);
        Assert.Single(events, e => e.Kind == "pruned");
        Assert.Equal([10L], (await store.GetMetricPointsAsync(b, CancellationToken.None)).Select(p => p.Point.Step).Distinct());
        // One decision to prune, counted once: the restart replayed it, it did not take it again.
        Assert.Single(meter.Of("sweepcluster.early_stopping.decisions"), m => m.Tags["decision"] == "pruned");
    }

    private static string Id(string sweepId, string trial) => $"{sweepId}-{trial}";

    private static TrialPhase PhaseOf(TrialPhase phase) => phase;

    private static async Task SubmitAsync(SqlTrialStore store, string sweepId, params (string Trial, string ConfigKey, bool Judged)[] trials)
    {
        var sweep = TestData.Sweep(sweepId) with { };
        sweep = sweep with { EarlyStopping = Asha };
        var definitions = trials.Select((t, i) => TestData.Trial(Id(sweepId, t.Trial), order: i) with { ConfigKey = t.ConfigKey, EarlyStopping = t.Judged }).ToList();
        await store.SubmitSweepAsync(sweep, definitions, "queued", CancellationToken.None);
    }

    private static async Task PlaceAsync(SiloHost silo, string trialId, string sweepId)
    {
        var grain = silo.Grains.GetGrain<ITrialGrain>(trialId);
        var siloId = silo.Address.ToParsableString();
        var definition = new TrialDefinition { SweepId = sweepId, MaxAttempts = 3, ConfigName = trialId };
        Assert.True((await grain.PlaceAsync(new AttemptPlacement { SiloId = siloId, Attempt = 1, SlotIds = ["cpu0"], Definition = definition })).Accepted);
        Assert.True((await grain.AttemptStartedAsync(1, siloId)).Accepted);
    }

    /// <summary>Attempt 1 reports its evaluation of <paramref name="epoch"/> at step 10 * epoch, and with <paramref name="alsoNextEpoch"/> a training step after it.</summary>
    private static Task<TrialReply> Report(SiloHost silo, string sweepId, string trial, int epoch, double psnr, bool alsoNextEpoch = false, string? siloId = null)
    {
        var step = 10L * epoch;
        List<MetricRecord> points =
        [
            new() { Step = step, Name = "loss.cross", Value = 0.3, Epoch = epoch, Kind = "train" },
            new() { Step = step, Name = Metric, Value = psnr, Epoch = epoch, Kind = "eval" },
        ];
        if (alsoNextEpoch)
        {
            points.Add(new() { Step = step + 1, Name = "loss.cross", Value = 0.29, Epoch = epoch + 1, Kind = "train" });
        }

        return silo.Grains.GetGrain<ITrialGrain>(Id(sweepId, trial)).ReportMetricsAsync(1, siloId ?? silo.Address.ToParsableString(), [.. points], null);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    private Task<SiloHost> StartAsync(TempDirectory state, SqlTrialStore store, RecordingSink sink, CrashSwitch? crash, string label) =>
        SiloHost.StartAsync(silo =>
        {
            silo.UseSweepClusterEmbedded(new EmbeddedOrleansOptions { StateDirectory = state.Path });
            silo.Services.AddSingleton<ITrialRecords>(new StoreTrialRecords(store, TimeProvider.System));
            silo.Services.AddSingleton<ITrialDecisionSink>(sink);
            silo.Services.Configure<TrialGrainOptions>(o => o.RunOnPlacedSilo = false);
            if (crash is not null)
            {
                // The storage the grains use, with the process's death at one instant: the trial grain's write of its pruned state.
                silo.Services.AddKeyedSingleton<IGrainStorage>(SweepClusterStorageNames.Trials, (sp, _) => new CrashingStorage(
                    new SqliteGrainStorage(SweepClusterStorageNames.Trials, sp.GetRequiredService<SqliteGrainStateFile>(),
                        new OrleansGrainStorageSerializer(sp.GetRequiredService<Serializer>()), sp.GetRequiredService<IActivatorProvider>(),
                        sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId),
                    crash));
            }
        }, output, label);

    private sealed class CrashSwitch
    {
        public volatile bool Armed;
        public volatile bool Fired;
    }

    /// <summary>Grain storage that dies (throws, and writes nothing) when armed and asked to store a pruned trial.</summary>
    private sealed class CrashingStorage(IGrainStorage inner, CrashSwitch crash) : IGrainStorage
    {
        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (crash.Armed && grainState.State is TrialGrainState { Phase: TrialPhase.Pruned })
            {
                crash.Fired = true;
                throw new IOException("the process died before the pruned state reached the disk");
            }

            return inner.WriteStateAsync(stateName, grainId, grainState);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
    }

    private sealed class RecordingSink : ITrialDecisionSink
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<TrialDecision>> _byTrial = new(StringComparer.Ordinal);

        public IReadOnlyList<TrialDecision> For(string trialId) => _byTrial.TryGetValue(trialId, out var queue) ? [.. queue] : [];

        public ValueTask OnDecisionsAsync(TrialGrainState state, IReadOnlyList<TrialDecision> decisions, CancellationToken cancellationToken)
        {
            var queue = _byTrial.GetOrAdd(state.TrialId, _ => new ConcurrentQueue<TrialDecision>());
            foreach (var decision in decisions)
            {
                queue.Enqueue(decision);
            }

            return ValueTask.CompletedTask;
        }
    }
}
