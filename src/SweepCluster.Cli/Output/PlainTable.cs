using System.Text;

namespace SweepCluster.Cli.Output;

/// <summary>
/// A <see cref="CliTable"/> as plain text: the title, the header and one line per row, columns
/// aligned and separated by two spaces. No cell is wrapped or cut, and no line carries an escape code.
/// </summary>
internal static class PlainTable
{
    private const string Gap = "  ";

    public static IEnumerable<string> Lines(CliTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Select(r => r.Select(OneLine).ToList()).ToList();
        var headers = table.Headers.Select(OneLine).ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToList();
        if (!string.IsNullOrEmpty(table.Title))
        {
            yield return OneLine(table.Title);
        }

        yield return Line(headers, widths);
        foreach (var row in rows)
        {
            yield return Line(row, widths);
        }
    }

    /// <summary>A cell that spans lines would break "one row per line".</summary>
    private static string OneLine(string text) =>
        text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ').Replace('\u001b', '?');

    private static string Line(IReadOnlyList<string> cells, IReadOnlyList<int> widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append(Gap);
            }

            line.Append(cells[i].PadRight(widths[i]));
        }

        return line.ToString().TrimEnd();
    }
}
