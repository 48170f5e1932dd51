using System.Text.Json;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A trial's configuration run once without faults, straight through the trial process (<c>sweepcluster trial-run</c>
/// with one CPU thread): the reference its clustered, interrupted and resumed run must equal.
/// </summary>
public static class FaultFreeRun
{
    /// <summary>Runs the trial's stored configuration and returns the metric points it printed (attempt 0).</summary>
    public static async Task<IReadOnlyList<MetricPointRecord>> RunAsync(FaultCluster cluster, string trialId)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var trial = await cluster.GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}");
        var directory = Path.Combine(cluster.Directory, $"fault-free-{trialId}");
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "config.json");
        await File.WriteAllTextAsync(config, trial.GetProperty("config").GetRawText());
        var (exit, text) = await cluster.RunCliAsync($"fault-free-{trialId}", ["trial-run", "--config", config, "--out", directory, "--device", "cpu", "--threads", "1"]);
        Assert.True(exit == 0, $"The fault-free run of trial {trialId} exited with {exit}:\n{text[^Math.Min(text.Length, 4000)..]}");
        var points = new List<MetricPointRecord>();
        foreach (var line in text.Split('\n'))
        {
            try
            {
                if (MetricPointRecord.FromTrialEvent(line.Trim()) is { } point)
                {
                    points.Add(point);
                }
            }
            catch (JsonException)
            {
                // A log line that happens to start with a brace.
            }
        }

        Assert.NotEmpty(points);
        return points;
    }
}
