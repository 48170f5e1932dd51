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
        ["cross_loss_final", "cross_slope", "psnr_cross", "ssim_cross", "psnr_gain_cross", "leakage_cross", "leakage_recon", "z_distance"];

    public static string Render(TestMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder();
        List<string> header = ["config", "config_key", .. matrix.ParameterKeys, "n", "trials", "succeeded", "pending", "running", "failed", "cancelled", "state"];
        foreach (var stat in Stats)
        {
            header.Add(stat + "_mean");
            header.Add(stat + "_std");
        }

        header.AddRange(["cross_going_down", "going_down_votes", "expect", "expected_verdict", "verdict", "agrees"]);
        AppendLine(text, header);
        foreach (var row in matrix.Rows)
        {
            List<string> fields =
            [
                row.ConfigName, row.ConfigKey,
                .. matrix.ParameterKeys.Select(k => row.Parameters.FirstOrDefault(p => string.Equals(p.Key, k, StringComparison.Ordinal))?.Value ?? ""),
                Int(row.N), Int(row.Counts.Total), Int(row.Counts.Succeeded), Int(row.Counts.Pending), Int(row.Counts.Running),
                Int(row.Counts.Failed), Int(row.Counts.Cancelled), row.State.ToString().ToLowerInvariant(),
            ];
            foreach (var stat in new[] { row.CrossLossFinal, row.CrossSlope, row.PsnrCross, row.SsimCross, row.PsnrGainCross, row.LeakageCross, row.LeakageRecon, row.ZDistance })
            {
                fields.Add(stat is null ? "" : Number(stat.Mean));
                fields.Add(stat?.Std is { } std ? Number(std) : "");
            }

            fields.Add(row.CrossGoingDown switch { true => "yes", false => "no", null => "" });
            fields.Add(Int(row.GoingDownVotes));
            fields.Add(row.Expect);
            fields.Add(row.ExpectedVerdict ?? "");
            fields.Add(row.Verdict?.ToString().ToLowerInvariant() ?? "");
            fields.Add(row.AgreesWithExpected switch { true => "yes", false => "no", null => "" });
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

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
