namespace SweepCluster.Cluster.Reports;

/// <summary>The sweep's answer: one row per configuration, in sweep order.</summary>
/// <param name="ParameterKeys">Every varied key, in the order they first appear in the sweep.</param>
/// <param name="Rows">The configurations in sweep order, then the reference rows (<see cref="TestMatrixRow.Kind"/>).</param>
/// <param name="Warnings">Data the builder had to leave out (unreadable summaries, non-finite values), in words.</param>
/// <param name="RelativeVerdicts">Whether the verdicts are relative to a supervised cross reference (else the fallback rule).</param>
/// <param name="VerdictBasis">Which form of <see cref="VerdictRule"/> the verdicts used and why, in words.</param>
public sealed record TestMatrix(
    string SweepId,
    string SweepName,
    string Question,
    string ObjectiveMetric,
    VerdictRule Rule,
    IReadOnlyList<string> ParameterKeys,
    IReadOnlyList<TestMatrixRow> Rows,
    IReadOnlyList<string> Warnings,
    string VerdictBasis = "",
    bool RelativeVerdicts = false);
