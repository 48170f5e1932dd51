using System.Globalization;
using SweepCluster.Cluster.Reports;

namespace SweepCluster.Cli.Output;

/// <summary>
/// The test matrix as <c>run</c> and <c>report</c> print it: the configuration, the verdict, what
/// was expected and the key outcomes first, within <see cref="MaxWidth"/> columns. The full table
/// (every parameter and outcome) is in matrix.md/csv/json and report.html.
/// </summary>
internal static class TerminalMatrix
{
    /// <summary>The widest the printed matrix gets, whatever the terminal: a reader never scrolls sideways for the verdict.</summary>
    public const int MaxWidth = 120;

    private const string Missing = "-";

    public static IReadOnlyList<string> Lines(TestMatrix matrix, string reportDirectory, int? consoleWidth)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var all = Columns(matrix);
        var shown = CompactTable.Fit(all, Math.Min(MaxWidth, consoleWidth ?? MaxWidth));
        var lines = new List<string> { $"Test matrix: {OneLine(matrix.SweepName)}" };
        if (!string.IsNullOrWhiteSpace(matrix.Question))
        {
            lines.Add($"Question: {OneLine(matrix.Question)}");
        }

        lines.Add(string.Empty);
        lines.AddRange(CompactTable.Lines(shown));
        lines.Add(string.Empty);
        lines.Add("Values are mean ± sample standard deviation over the succeeded seeds.");
        if (!string.IsNullOrWhiteSpace(matrix.VerdictBasis))
        {
            lines.Add($"Verdicts: {OneLine(matrix.VerdictBasis)}");
        }

        foreach (var row in matrix.TableRows.Where(r => r.Kind == RowKind.Configuration && !string.IsNullOrWhiteSpace(r.Note)))
        {
            lines.Add($"{OneLine(row.ConfigName)}: {OneLine(row.Note)}");
        }

        var left = all.Where(c => !shown.Contains(c)).Select(c => c.Header).ToList();
        var full = Path.Combine(reportDirectory, "matrix.md");
        lines.Add(left.Count == 0
            ? $"Verdict rule and notes: {full}"
            : $"Not shown here ({left.Count}): {string.Join(", ", left)}; the full table and the verdict rule: {full}");
        foreach (var warning in matrix.Warnings)
        {
            lines.Add($"warning: {OneLine(warning)}");
        }

        return lines;
    }

    /// <summary>Every column, with its priority: the lower, the longer it stays when space runs out.</summary>
    internal static IReadOnlyList<MatrixColumn> Columns(TestMatrix matrix)
    {
        // The configurations, then the reference rows (noisy input, classical, supervised cross) they are judged against.
        var rows = matrix.TableRows;
        var unfinished = rows.Any(r => r.State != RowState.Complete);
        MatrixColumn Column(string header, int priority, Func<TestMatrixRow, string> cell) =>
            new(header, priority, [.. rows.Select(r => Cell(cell(r)))]);
        string M(TestMatrixRow row, MeasuredStat? stat, string format) => row.N > 0 ? Stat(stat, format) : Missing;

        return
        [
            Column("config", 0, r => r.ConfigName),
            Column("verdict", 0, r => r.Kind != RowKind.Configuration ? "reference"
                : r.State == RowState.Pruned ? "pruned" : r.Verdict?.ToString().ToLowerInvariant() ?? Missing),
            Column("expected", 1, r => r.Expect),
            Column("F", 4, r => r.GapClosed is { } f ? f.ToString("0.00", CultureInfo.InvariantCulture) : Missing),
            // A row still running or with failed seeds must say so before any number is read.
            Column("state", unfinished ? 2 : 40, r => r.Status),
            Column("going down", 5, r => r.N > 0 && r.CrossGoingDown is { } down
                ? string.Create(CultureInfo.InvariantCulture, $"{(down ? "yes" : "no")} ({r.GoingDownVotes}/{r.N})")
                : Missing),
            Column("PSNR cross (dB)", 3, r => M(r, r.PsnrCross, "0.00")),
            Column("gain (dB)", 7, r => M(r, r.PsnrGainCross, "0.00")),
            Column("leakage", 6, r => M(r, r.LeakageCross, "0.000")),
            Column("excess cross loss", 7, r => M(r, r.CrossExcessFinal, "G3")),
            Column("excess decrease", 8, r => r.N > 0 && r.CrossExcessRelDecrease is { } d
                ? Stat(d, "P0") + (r.CrossExcessRelDecreaseErr is { } e ? $" (±{e.Mean.ToString("P0", CultureInfo.InvariantCulture)})" : string.Empty)
                : Missing),
            Column("n", 2, r => r.N.ToString(CultureInfo.InvariantCulture)),
            Column("vs expected", 10, r => r.AgreesWithExpected switch
            {
                true => "agrees",
                false => "differs",
                null => string.Empty,
            }),
            Column("SSIM cross", 9, r => M(r, r.SsimCross, "0.000")),
            Column("noise floor", 11, r => M(r, r.NoiseFloorCross, "G3")),
            Column("cross loss", 12, r => M(r, r.CrossLossFinal, "G4")),
            Column("leakage recon", 13, r => M(r, r.LeakageRecon, "0.000")),
            Column("z distance", 14, r => M(r, r.ZDistance, "G3")),
            .. matrix.ParameterKeys.Select((key, i) => Column(key, 20 + i, r =>
                r.Parameters.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal))?.Value ?? string.Empty)),
        ];
    }

    private static string Stat(MeasuredStat? stat, string format)
    {
        if (stat is null)
        {
            return Missing;
        }

        var mean = stat.Mean.ToString(format, CultureInfo.InvariantCulture);
        return stat.Std is { } std ? $"{mean} ± {std.ToString(format, CultureInfo.InvariantCulture)}" : mean;
    }

    /// <summary>A cell stays one cell on one line (Markdown's escape for a bar).</summary>
    private static string Cell(string text) => OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);

    private static string OneLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Replace('\u001b', '?');
}
