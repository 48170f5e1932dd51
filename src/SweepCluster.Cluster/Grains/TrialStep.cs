namespace SweepCluster.Cluster.Grains;

/// <summary>
/// What <see cref="TrialMachine"/> made of one event: the state to persist, the decisions to act on and, for a
/// refused event, the refusal. A refused or unchanged step has <see cref="Changed"/> false: its host writes nothing.
/// </summary>
/// <param name="Message">What happened, in words, for the trial's event log.</param>
public sealed record TrialStep(TrialGrainState Next, IReadOnlyList<TrialDecision> Decisions, Refusal? Refusal, bool Changed, string Message)
{
    public bool IsAccepted => Refusal is null;

    internal static TrialStep Refused(TrialGrainState state, Refusal refusal, params TrialDecision[] decisions) =>
        new(state, decisions, refusal, false, refusal.Message);

    internal static TrialStep Unchanged(TrialGrainState state, string message) => new(state, [], null, false, message);

    internal static TrialStep Applied(TrialGrainState next, string message, params TrialDecision[] decisions) =>
        new(next, decisions, null, true, message);
}
