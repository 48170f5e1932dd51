using System.Text;

namespace SweepCluster.Cli.Output;

/// <summary>
/// The matrix as the terminal shows it: a Markdown table (<c>| a | b |</c>, cells padded) of the
/// columns that fit a width. Columns are dropped by priority, never wrapped or cut, so a reader does
/// not scroll sideways and every name stays whole; the report files keep every column.
/// </summary>
internal static class CompactTable
{
    /// <summary>
    /// Every priority-0 column, then the others in priority order for as long as the table stays
    /// within <paramref name="width"/> (the first that does not fit ends it); in their given order.
    /// </summary>
    public static IReadOnlyList<MatrixColumn> Fit(IReadOnlyList<MatrixColumn> columns, int width)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var chosen = columns.Where(c => c.Priority == 0).ToHashSet();
        foreach (var column in columns.Where(c => c.Priority > 0).OrderBy(c => c.Priority))
        {
            if (LineWidth([.. chosen, column]) > width)
            {
                break;
            }

            chosen.Add(column);
        }

        return [.. columns.Where(chosen.Contains)];
    }

    /// <summary>How wide the lines of these columns are.</summary>
    public static int LineWidth(IReadOnlyCollection<MatrixColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        // "| " + cells joined by " | " + " |"
        return columns.Sum(c => c.Width) + (3 * Math.Max(0, columns.Count - 1)) + 4;
    }

    /// <summary>The header, the separator and one line per row.</summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<MatrixColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var rows = columns.Count == 0 ? 0 : columns.Max(c => c.Cells.Count);
        var lines = new List<string>
        {
            Line(columns, c => c.Header),
            "|" + string.Join('|', columns.Select(c => new string('-', c.Width + 2))) + "|",
        };
        for (var i = 0; i < rows; i++)
        {
            var row = i;
            lines.Add(Line(columns, c => row < c.Cells.Count ? c.Cells[row] : string.Empty));
        }

        return lines;
    }

    private static string Line(IReadOnlyList<MatrixColumn> columns, Func<MatrixColumn, string> cell)
    {
        var line = new StringBuilder("|");
        foreach (var column in columns)
        {
            line.Append(' ').Append(cell(column).PadRight(column.Width)).Append(" |");
        }

        return line.ToString();
    }
}
