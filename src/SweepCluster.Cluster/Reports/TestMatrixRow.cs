namespace SweepCluster.Cluster.Reports;

/// <summary>One configuration of the sweep: its trials (seeds) aggregated.</summary>
/// <param name="OrderIndex">The smallest sweep order index among its trials; rows are sorted by it.</param>
/// <param name="Seeds">Seeds of all its trials, in sweep order.</param>
/// <param name="Status">The trial counts in words (<c>complete</c>, or <c>2/3 succeeded; 1 running</c>).</param>
/// <param name="CrossLossFinal">Measured outcomes, each over the succeeded seeds that reported it; null when none did.</param>
/// <param name="CrossGoingDown">True when a strict majority of the succeeded seeds report the cross loss going down.</param>
/// <param name="GoingDownVotes">How many succeeded seeds report the cross loss going down.</param>
/// <param name="ExpectedVerdict">The sweep file's machine-readable expectation, as written.</param>
/// <param name="Verdict">The measured verdict (<see cref="VerdictRule"/>); null without a succeeded seed.</param>
/// <param name="AgreesWithExpected">Whether the measured verdict equals the expected one; null when either is missing.</param>
/// <param name="CrossLossCurves">Cross loss per epoch, one series per trial with metric points.</param>
/// <param name="PsnrCurves">Mean PSNR of the cross outputs at each evaluation step, one series per trial.</param>
public sealed record TestMatrixRow(
    string ConfigKey,
    string ConfigName,
    int OrderIndex,
    IReadOnlyList<MatrixParameter> Parameters,
    IReadOnlyList<string> TrialIds,
    IReadOnlyList<long> Seeds,
    TrialCounts Counts,
    RowState State,
    string Status,
    MeasuredStat? CrossLossFinal,
    MeasuredStat? CrossSlope,
    bool? CrossGoingDown,
    int GoingDownVotes,
    MeasuredStat? PsnrCross,
    MeasuredStat? SsimCross,
    MeasuredStat? PsnrGainCross,
    MeasuredStat? LeakageCross,
    MeasuredStat? LeakageRecon,
    MeasuredStat? ZDistance,
    string Expect,
    string? ExpectedVerdict,
    Verdict? Verdict,
    bool? AgreesWithExpected,
    IReadOnlyList<CurveSeries> CrossLossCurves,
    IReadOnlyList<CurveSeries> PsnrCurves)
{
    /// <summary>The n of the row: how many seeds succeeded.</summary>
    public int N => Counts.Succeeded;
}
