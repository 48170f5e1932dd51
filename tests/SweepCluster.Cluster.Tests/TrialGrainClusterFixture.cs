using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using SweepCluster.Cluster.Grains;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// One in-process Orleans silo with memory grain storage for trial grains, and a sink that records their decisions.
/// Trial grains take placements naming any silo id (<see cref="TrialGrainOptions.RunOnPlacedSilo"/> off).
/// </summary>
public sealed class TrialGrainClusterFixture : IAsyncLifetime
{
    private InProcessTestCluster? _cluster;

    public InProcessTestCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public RecordingDecisionSink Decisions { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            // The product's serializer, as every host configures it: the memory storage's default JSON one cannot read
            // back the immutable collections of the state, so a test that deactivates a grain would fail reading it.
            silo.AddMemoryGrainStorage(TrialGrain.StorageName, storage => storage.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)));
            silo.Services.AddSingleton<ITrialDecisionSink>(Decisions);
            // The tests place trials on silos named silo-a and silo-b, not on this silo's address.
            silo.Services.Configure<TrialGrainOptions>(o => o.RunOnPlacedSilo = false);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Records every decision by trial id, in order.</summary>
    public sealed class RecordingDecisionSink : ITrialDecisionSink
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<TrialDecision>> _byTrial = new(StringComparer.Ordinal);

        public IReadOnlyList<TrialDecision> For(string trialId) =>
            _byTrial.TryGetValue(trialId, out var queue) ? [.. queue] : [];

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
