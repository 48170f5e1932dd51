using System.Text.Json;

namespace SweepCluster.Cli;

/// <summary>Fetches a sweep's rendered test matrix from the coordinator and writes the four report files.</summary>
internal static class ReportFetcher
{
    public sealed record Written(string Directory, string Markdown, bool AllSucceeded);

    public static async Task<Written> WriteAsync(UserClient client, string sweepId, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var files = new[] { ("md", "matrix.md"), ("csv", "matrix.csv"), ("json", "matrix.json"), ("html", "report.html") };
        string markdown = string.Empty;
        string json = string.Empty;
        foreach (var (format, name) in files)
        {
            var text = await client.GetReportAsync(sweepId, format, cancellationToken);
            var path = Path.Combine(directory, name);
            var temp = path + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellationToken);
            File.Move(temp, path, overwrite: true);
            if (format == "md")
            {
                markdown = text;
            }
            else if (format == "json")
            {
                json = text;
            }
        }

        return new Written(directory, markdown, AllRowsComplete(json));
    }

    private static bool AllRowsComplete(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("rows", out var rows))
        {
            return false;
        }

        return rows.EnumerateArray().All(r => r.TryGetProperty("state", out var s) && s.GetString() == "complete");
    }
}
