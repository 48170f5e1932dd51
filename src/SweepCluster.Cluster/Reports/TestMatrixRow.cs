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
/// <param name="Kind">A configuration, or one of the reference rows (which get no verdict).</param>
/// <param name="PsnrNoisy">The noisy input's PSNR on the same validation images.</param>
/// <param name="GapClosed">F: the fraction of the PSNR gap between the noisy input and the supervised cross reference
/// that the mean cross PSNR closes; null without a usable reference.</param>
/// <param name="NoiseFloorCross">The cross loss of a perfect denoiser against the noisy targets, measured on the data.</param>
/// <param name="CrossExcessFinal">The last epoch's cross loss minus its floor.</param>
/// <param name="CrossExcessRelDecrease">The relative decrease of the excess over the trend window, and (next) each seed's uncertainty of it.</param>
/// <param name="CrossBelowFloor">True when a strict majority of the succeeded seeds report the cross loss below its floor by more than its uncertainty.</param>
/// <param name="BelowFloorVotes">How many succeeded seeds report the cross loss below its floor.</param>
/// <param name="Note">What a reader should know beside the numbers, in words (each failed seed and its reason; what a reference is; a loss below its floor).</param>
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
    IReadOnlyList<CurveSeries> PsnrCurves,
    RowKind Kind = RowKind.Configuration,
    MeasuredStat? PsnrNoisy = null,
    double? GapClosed = null,
    MeasuredStat? NoiseFloorCross = null,
    MeasuredStat? CrossExcessFinal = null,
    MeasuredStat? CrossExcessRelDecrease = null,
    MeasuredStat? CrossExcessRelDecreaseErr = null,
    bool? CrossBelowFloor = null,
    int BelowFloorVotes = 0,
    string Note = "")
{
    /// <summary>The n of the row: how many seeds succeeded.</summary>
    public int N => Counts.Succeeded;

    /// <summary>Why the sweep's early stopping pruned the configuration (its decision, in words); null unless pruned.</summary>
    public string? StopReason { get; init; }

    /// <summary>The last epoch any of the configuration's seeds reported; null without metric points.</summary>
    public int? EpochReached { get; init; }

    /// <summary>The mean over seeds of the cross outputs' PSNR at their last evaluation; null without metric points.</summary>
    public double? LastPsnrCross { get; init; }
}
