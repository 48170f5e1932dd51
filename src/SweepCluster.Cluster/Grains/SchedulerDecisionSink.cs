using System.Collections.Immutable;

namespace SweepCluster.Cluster.Grains;

/// <summary>
/// Tells the scheduler what trial grains decided: a requeued trial waits for slots again, an attempt that ended (or
/// whose trial was cancelled) frees its slots. Registered on every silo.
/// </summary>
public sealed class SchedulerDecisionSink(IGrainFactory grains) : ITrialDecisionSink
{
    public async ValueTask OnDecisionsAsync(TrialGrainState state, IReadOnlyList<TrialDecision> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(decisions);
        var scheduler = grains.GetGrain<ISchedulerGrain>(SchedulerGrainKeys.Cluster);
        foreach (var decision in decisions)
        {
            switch (decision.Kind)
            {
                case TrialDecisionKind.Requeue when state.Definition is { } definition:
                    await scheduler.EnqueueAsync([new QueuedTrial { TrialId = state.TrialId, Attempt = decision.Attempt, Definition = definition }]);
                    break;
                case TrialDecisionKind.Finish or TrialDecisionKind.GiveUp:
                    await scheduler.ReleaseAsync(state.TrialId, decision.Attempt);
                    break;
                case TrialDecisionKind.StopAttempt when state.Phase == TrialPhase.Cancelled:
                    await scheduler.ReleaseAsync(state.TrialId, decision.Attempt);
                    break;
                case TrialDecisionKind.Prune:
                    // Pruned while pending: out of the queue. Pruned while placed or running: its slots are free.
                    await scheduler.RemoveAsync([state.TrialId]);
                    if (decision.SiloId is not null)
                    {
                        await scheduler.ReleaseAsync(state.TrialId, decision.Attempt);
                    }

                    break;
                default:
                    break;
            }
        }
    }
}
