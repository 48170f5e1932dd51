using System.Globalization;
using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>
/// Renders the matrix as CSV (<c>matrix.csv</c>): RFC 4180 (CRLF line ends; a field holding a comma, a
/// quote, a line break or outer spaces is quoted, quotes doubled), invariant culture, numbers
/// round-trippable, an empty field where there is no value.
/// </summary>
public static class CsvMatrixRenderer
{
    private static readonly string[] Stats =
        ["cross_loss_final", "cross_slope", "psnr_cross", "ssim_cross", "psnr_gain_cross", "leakage_cross", "leakage_recon", "z_distance",
            "psnr_noisy", "noise_floor_cross", "cross_excess_final", "cross_excess_rel_decrease", "cross_excess_rel_decrease_err"];

    public static string Render(TestMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder();
        List<string> header = ["config", "kind", "config_key", .. matrix.ParameterKeys, "n", "trials", "succeeded", "pending", "running", "failed", "cancelled", "state"];
        foreach (var stat in Stats)
        {
            header.Add(stat + "_mean");
            header.Add(stat + "_std");
        }

        header.AddRange(["cross_going_down", "going_down_votes", "cross_below_floor", "below_floor_votes", "gap_closed", "expect", "expected_verdict", "verdict", "agrees", "note"]);
        AppendLine(text, header);
        foreach (var row in matrix.TableRows)
        {
            List<string> fields =
            [
                row.ConfigName, Snake(row.Kind), row.ConfigKey,
                .. matrix.ParameterKeys.Select(k => row.Parameters.FirstOrDefault(p => string.Equals(p.Key, k, StringComparison.Ordinal))?.Value ?? ""),
                Int(row.N), Int(row.Counts.Total), Int(row.Counts.Succeeded), Int(row.Counts.Pending), Int(row.Counts.Running),
                Int(row.Counts.Failed), Int(row.Counts.Cancelled), row.State.ToString().ToLowerInvariant(),
            ];
            MeasuredStat?[] stats =
            [
                row.CrossLossFinal, row.CrossSlope, row.PsnrCross, row.SsimCross, row.PsnrGainCross, row.LeakageCross, row.LeakageRecon, row.ZDistance,
                row.PsnrNoisy, row.NoiseFloorCross, row.CrossExcessFinal, row.CrossExcessRelDecrease, row.CrossExcessRelDecreaseErr,
            ];
            foreach (var stat in stats)
            {
                fields.Add(stat is null ? "" : Number(stat.Mean));
                fields.Add(stat?.Std is { } std ? Number(std) : "");
            }

            fields.Add(row.CrossGoingDown switch { true => "yes", false => "no", null => "" });
            fields.Add(Int(row.GoingDownVotes));
            fields.Add(row.CrossBelowFloor switch { true => "yes", false => "no", null => "" });
            fields.Add(Int(row.BelowFloorVotes));
            fields.Add(row.GapClosed is { } f ? Number(f) : "");
            fields.Add(row.Expect);
            fields.Add(row.ExpectedVerdict ?? "");
            fields.Add(row.Verdict?.ToString().ToLowerInvariant() ?? "");
            fields.Add(row.AgreesWithExpected switch { true => "yes", false => "no", null => "" });
            fields.Add(row.Note);
            AppendLine(text, fields);
        }

        return text.ToString();
    }

    /// <summary>One RFC 4180 field.</summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static void AppendLine(StringBuilder text, IEnumerable<string> fields)
    {
        text.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }

    /// <summary>The row kind as matrix.json writes it (<c>supervised_cross</c>).</summary>
    private static string Snake(RowKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
