using SweepCluster.Cluster.Reports;

namespace SweepCluster.Cli;

/// <summary>Fetches a sweep's rendered test matrix from the coordinator and writes the four report files.</summary>
internal static class ReportFetcher
{
    /// <param name="Matrix">The matrix read back from matrix.json, for the compact table the commands print.</param>
    /// <param name="AllFinished">Every configuration row is complete or was pruned by the sweep's early stopping.</param>
    public sealed record Written(string Directory, TestMatrix Matrix, bool AllFinished);

    public static async Task<Written> WriteAsync(UserClient client, string sweepId, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var files = new[] { ("md", "matrix.md"), ("csv", "matrix.csv"), ("json", "matrix.json"), ("html", "report.html") };
        string json = string.Empty;
        foreach (var (format, name) in files)
        {
            var text = await client.GetReportAsync(sweepId, format, cancellationToken);
            var path = Path.Combine(directory, name);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellationToken);
            File.Move(temp, path, overwrite: true);
            if (format == "json")
            {
                json = text;
            }
        }

        var matrix = JsonMatrixRenderer.Read(json);
        // A configuration the sweep's early stopping pruned ended as the sweep asked: it does not make the run unfinished.
        return new Written(directory, matrix, matrix.Rows.All(r => r.State is RowState.Complete or RowState.Pruned));
    }
}
