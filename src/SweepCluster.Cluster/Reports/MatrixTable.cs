namespace SweepCluster.Cluster.Reports;

/// <summary>
/// The matrix's table and plot levels as report.html shows them, for other renderers (the coordinator's web page):
/// the same headers, cell texts, sections and reference levels.
/// </summary>
public static class MatrixTable
{
    /// <summary>The index of the verdict column.</summary>
    public const int VerdictColumn = MatrixCells.VerdictColumn;

    public static IReadOnlyList<string> Headers(TestMatrix matrix) => MatrixCells.Headers(matrix);

    public static IReadOnlyList<string> Cells(TestMatrix matrix, TestMatrixRow row) => MatrixCells.Cells(matrix, row);

    /// <summary>Whether the row gets a section with plots and panels (configurations and the supervised cross reference).</summary>
    public static bool HasSection(TestMatrixRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Kind is RowKind.Configuration or RowKind.SupervisedCross;
    }

    /// <summary>The PSNR levels every configuration's PSNR plot is read against: label and value.</summary>
    public static IReadOnlyList<(string Label, double Value)> ReferenceLevels(TestMatrix matrix) =>
        [.. HtmlReportRenderer.ReferenceLevels(matrix).Select(l => (l.Label, l.Value))];
}
