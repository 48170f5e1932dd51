using System.Globalization;

namespace SweepCluster.Cluster.Reports;

/// <summary>The human-readable columns of the matrix, shared by the Markdown and HTML renderers.</summary>
internal static class MatrixCells
{
    public const string Missing = "-";

    public static IReadOnlyList<string> Headers(TestMatrix matrix) =>
    [
        "config", .. matrix.ParameterKeys, "n", "cross loss", "cross slope", "going down", "PSNR cross (dB)", "SSIM cross",
        "PSNR gain (dB)", "leakage cross", "leakage recon", "z distance", "expected", "verdict", "vs expected", "state",
    ];

    public static IReadOnlyList<string> Cells(TestMatrix matrix, TestMatrixRow row)
    {
        var measured = row.N > 0;
        string M(MeasuredStat? stat, string format) => measured ? Stat(stat, format) : Missing;
        return
        [
            row.ConfigName,
            .. matrix.ParameterKeys.Select(k => row.Parameters.FirstOrDefault(p => string.Equals(p.Key, k, StringComparison.Ordinal))?.Value ?? ""),
            row.N.ToString(CultureInfo.InvariantCulture),
            M(row.CrossLossFinal, "G4"),
            M(row.CrossSlope, "0.000"),
            measured ? GoingDown(row) : Missing,
            M(row.PsnrCross, "0.00"),
            M(row.SsimCross, "0.000"),
            M(row.PsnrGainCross, "0.00"),
            M(row.LeakageCross, "0.000"),
            M(row.LeakageRecon, "0.000"),
            M(row.ZDistance, "G3"),
            row.Expect,
            VerdictText(row.Verdict),
            Agreement(row),
            row.Status,
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
