using System.Text.Json.Serialization;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// The sweep's answer: one row per configuration, in sweep order, and the reference rows the configurations are
/// judged against.
/// </summary>
/// <param name="ParameterKeys">Every varied key, in the order they first appear in the sweep.</param>
/// <param name="Rows">The configurations, in sweep order.</param>
/// <param name="Warnings">Data the builder had to leave out (unreadable summaries, non-finite values), in words.</param>
/// <param name="RelativeVerdicts">Whether the verdicts are relative to a supervised cross reference (else the fallback rule).</param>
/// <param name="VerdictBasis">Which form of <see cref="VerdictRule"/> the verdicts used and why, in words.</param>
/// <param name="References">The reference rows (noisy input, classical, supervised cross; <see cref="TestMatrixRow.Kind"/>),
/// shown after the configurations; null or empty when no trial measured one.</param>
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
    bool RelativeVerdicts = false,
    IReadOnlyList<TestMatrixRow>? References = null)
{
    /// <summary>What the table shows: the configurations, then the reference rows.</summary>
    [JsonIgnore]
    public IReadOnlyList<TestMatrixRow> TableRows => [.. Rows, .. References ?? []];
}
