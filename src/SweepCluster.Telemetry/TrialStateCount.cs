namespace SweepCluster.Telemetry;

/// <summary>How many trials of one sweep are in one state; observed by the <c>sweepcluster.trials</c> gauge.</summary>
/// <param name="SweepId">The sweep's id (label <c>sweep</c>).</param>
/// <param name="State">The lifecycle state, e.g. <c>pending</c>, <c>running</c>, <c>succeeded</c> (label <c>state</c>).</param>
/// <param name="Count">The number of trials in that state.</param>
public readonly record struct TrialStateCount(string SweepId, string State, long Count);
