namespace SweepCluster.Cluster.Grains;

/// <summary>
/// Receives the decisions a trial grain took, after any state change they follow was stored (a refusal stores
/// nothing and still reports <see cref="TrialDecisionKind.RefuseStale"/>): the silo's runner acts on start and stop,
/// the scheduler on requeue, finish and give up.
/// </summary>
/// <remarks>
/// Called on the grain's turn, so an implementation must return promptly: it enqueues the work (starting a child
/// process, placing a trial) and never waits for training, and it must never call back into a trial grain and wait
/// (the trial grain is not reentrant). An exception fails the grain call after the state was stored; the caller's
/// retry is then answered as a repeat. Implementations are singletons and must be thread-safe.
/// </remarks>
public interface ITrialDecisionSink
{
    /// <param name="state">The trial's state as stored after the step.</param>
    ValueTask OnDecisionsAsync(TrialGrainState state, IReadOnlyList<TrialDecision> decisions, CancellationToken cancellationToken);
}
