using System.Text;

namespace SweepCluster.Cluster.Reports;

/// <summary>Writes the four report files of a sweep into one directory.</summary>
public static class ReportWriter
{
    public const string MarkdownFile = "matrix.md";
    public const string CsvFile = "matrix.csv";
    public const string JsonFile = "matrix.json";
    public const string HtmlFile = "report.html";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <c>matrix.md</c>, <c>matrix.csv</c>, <c>matrix.json</c> and <c>report.html</c> into
    /// <paramref name="directory"/> (created if missing). Each file is written to a temporary name and
    /// then renamed, so a reader never sees half a report.
    /// </summary>
    public static async Task<ReportFiles> WriteAsync(string directory, TestMatrix matrix, IReadOnlyList<ReportPanel>? panels, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(matrix);
        Directory.CreateDirectory(directory);
        var files = new ReportFiles(
            Path.Combine(directory, MarkdownFile), Path.Combine(directory, CsvFile), Path.Combine(directory, JsonFile), Path.Combine(directory, HtmlFile));
        await WriteFileAsync(files.Markdown, MarkdownMatrixRenderer.Render(matrix), cancellationToken);
        await WriteFileAsync(files.Csv, CsvMatrixRenderer.Render(matrix), cancellationToken);
        await WriteFileAsync(files.Json, JsonMatrixRenderer.Render(matrix), cancellationToken);
        await WriteFileAsync(files.Html, HtmlReportRenderer.Render(matrix, panels), cancellationToken);
        return files;
    }

    private static async Task WriteFileAsync(string path, string content, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, content, Utf8, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }
}
