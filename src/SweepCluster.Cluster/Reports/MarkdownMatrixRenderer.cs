using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>Renders the matrix as a Markdown table (what the CLI prints and <c>matrix.md</c> holds).</summary>
public static class MarkdownMatrixRenderer
{
    public static string Render(TestMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var text = new StringBuilder();
        text.Append("# Test matrix: ").Append(Escape(matrix.SweepName)).Append('\n').Append('\n');
        if (!string.IsNullOrWhiteSpace(matrix.Question))
        {
            text.Append("Question: ").Append(Escape(matrix.Question)).Append('\n').Append('\n');
        }

        var headers = MatrixCells.Headers(matrix);
        AppendRow(text, headers);
        AppendRow(text, [.. headers.Select(_ => "---")]);
        foreach (var row in matrix.TableRows)
        {
            AppendRow(text, MatrixCells.Cells(matrix, row));
        }

        text.Append('\n').Append("Values are mean ± sample standard deviation (n - 1) over the succeeded seeds; n is their number. ")
            .Append("Verdict rule: ").Append(Escape(matrix.Rule.Describe(matrix.RelativeVerdicts))).Append('\n');
        if (!string.IsNullOrWhiteSpace(matrix.VerdictBasis))
        {
            text.Append('\n').Append(Escape(matrix.VerdictBasis)).Append('\n');
        }
        if (matrix.Warnings.Count > 0)
        {
            text.Append('\n').Append("Warnings:").Append('\n').Append('\n');
            foreach (var warning in matrix.Warnings)
            {
                text.Append("- ").Append(Escape(warning)).Append('\n');
            }
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells)
    {
        text.Append('|');
        foreach (var cell in cells)
        {
            text.Append(' ').Append(Escape(cell)).Append(" |");
        }

        text.Append('\n');
    }

    /// <summary>A cell stays one cell on one line, and text from the sweep file cannot become markup.</summary>
    internal static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "\\<", StringComparison.Ordinal)
            .Replace("\r\n", " ", StringComparison.Ordinal)
            .Replace('\n', ' ')
            .Replace('\r', ' ');
}
