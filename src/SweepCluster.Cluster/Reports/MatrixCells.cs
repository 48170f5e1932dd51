using System.Globalization;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// The human-readable columns of the matrix, shared by the Markdown and HTML renderers: the configuration, its
/// verdict and the outcomes the verdict reads first (so each verdict can be checked against the numbers beside it),
/// then the other measurements, then the varied parameters (which can be long, such as decoder feature lists).
/// </summary>
internal static class MatrixCells
{
    public const string Missing = "-";

    /// <summary>The index of the verdict column.</summary>
    public const int VerdictColumn = 1;

    public static IReadOnlyList<string> Headers(TestMatrix matrix) =>
    [
        "config", "verdict", "vs expected", "expected", "n", "F (gap closed)", "PSNR cross (dB)", "PSNR gain (dB)", "SSIM cross",
        "leakage cross", "cross excess (final)", "excess decrease (rel.)", "going down", "note", "cross loss", "noise floor (cross)",
        "cross slope", "leakage recon", "z distance", "state", .. matrix.ParameterKeys,
    ];

    public static IReadOnlyList<string> Cells(TestMatrix matrix, TestMatrixRow row)
    {
        var measured = row.N > 0;
        string M(MeasuredStat? stat, string format) => measured ? Stat(stat, format) : Missing;
        var reference = row.Kind != RowKind.Configuration;
        return
        [
            row.ConfigName,
            reference ? "reference" : row.State == RowState.Pruned ? "pruned" : VerdictText(row.Verdict),
            Agreement(row),
            row.Expect,
            row.N.ToString(CultureInfo.InvariantCulture),
            measured && row.GapClosed is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) : Missing,
            M(row.PsnrCross, "0.00"),
            M(row.PsnrGainCross, "0.00"),
            M(row.SsimCross, "0.000"),
            M(row.LeakageCross, "0.000"),
            M(row.CrossExcessFinal, "G3"),
            measured ? Decrease(row) : Missing,
            measured ? GoingDown(row) : Missing,
            row.Note,
            M(row.CrossLossFinal, "G4"),
            M(row.NoiseFloorCross, "G3"),
            M(row.CrossSlope, "0.000"),
            M(row.LeakageRecon, "0.000"),
            M(row.ZDistance, "G3"),
            row.Status,
            .. matrix.ParameterKeys.Select(k => row.Parameters.FirstOrDefault(p => string.Equals(p.Key, k, StringComparison.Ordinal))?.Value ?? ""),
        ];
    }

    public static string Stat(MeasuredStat? stat, string format)
    {
        if (stat is null)
        {
            return Missing;
        }

        var mean = stat.Mean.ToString(format, CultureInfo.InvariantCulture);
        return stat.Std is { } std ? $"{mean} ± {std.ToString(format, CultureInfo.InvariantCulture)}" : mean;
    }

    /// <summary>The relative decrease of the excess cross loss and (in brackets) its mean per-seed uncertainty.</summary>
    public static string Decrease(TestMatrixRow row)
    {
        if (row.CrossExcessRelDecrease is not { } decrease)
        {
            return Missing;
        }

        var text = Stat(decrease, "0.00");
        return row.CrossExcessRelDecreaseErr is { } err
            ? string.Create(CultureInfo.InvariantCulture, $"{text} (err {err.Mean:0.00})")
            : text;
    }

    public static string GoingDown(TestMatrixRow row) => row.CrossGoingDown switch
    {
        null => Missing,
        var down => string.Create(CultureInfo.InvariantCulture, $"{(down.Value ? "yes" : "no")} ({row.GoingDownVotes}/{row.N})"),
    };

    public static string VerdictText(Verdict? verdict) => verdict?.ToString().ToLowerInvariant() ?? Missing;

    public static string Agreement(TestMatrixRow row) => row.AgreesWithExpected switch
    {
        true => "agrees",
        false => $"differs (expected {row.ExpectedVerdict?.Trim().ToLowerInvariant()})",
        null => "",
    };
}
