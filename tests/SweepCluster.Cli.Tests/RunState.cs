using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SweepCluster.Cli.Tests;

/// <summary>What a <c>run</c> left in its state directory: each attempt's folder, and the trial children it started.</summary>
internal sealed class RunState(string state)
{
    public string AttemptDirectory(string trialId, int attempt) => Path.Combine(state, "attempts", trialId, $"attempt-{attempt}");

    /// <param name="whileRunning">The run is live: skip an attempt whose directory is still being set up.</param>
    public List<AttemptOnDisk> Attempts(bool whileRunning = false)
    {
        var root = Path.Combine(state, "attempts");
        var attempts = new List<AttemptOnDisk>();
        if (whileRunning && !Directory.Exists(root))
        {
            return attempts;
        }

        foreach (var trial in Directory.GetDirectories(root))
        {
            foreach (var directory in Directory.GetDirectories(trial, "attempt-*"))
            {
                JsonDocument config;
                try
                {
                    config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
                }
                catch (Exception e) when (whileRunning && e is IOException or JsonException)
                {
                    continue;
                }

                using var document = config;
                attempts.Add(new AttemptOnDisk(
                    Path.GetFileName(trial),
                    int.Parse(Path.GetFileName(directory)["attempt-".Length..], CultureInfo.InvariantCulture),
                    document.RootElement.GetProperty("name").GetString()!,
                    directory,
                    File.Exists(Path.Combine(directory, "summary.json"))));
            }
        }

        return attempts;
    }

    /// <summary>Kills, by id, trial children this test's runs started that are still alive (the silo log names their ids).</summary>
    public void KillOrphanedTrials()
    {
        var log = Path.Combine(state, "silo.log");
        if (!File.Exists(log))
        {
            return;
        }

        foreach (Match started in Regex.Matches(File.ReadAllText(log), @"started as process (\d+)"))
        {
            var id = int.Parse(started.Groups[1].Value, CultureInfo.InvariantCulture);
            var commandLine = Path.Combine("/proc", id.ToString(CultureInfo.InvariantCulture), "cmdline");
            string text;
            try
            {
                text = File.ReadAllText(commandLine);
            }
            catch (IOException)
            {
                continue;
            }

            // The id may have been reused by an unrelated process: only a trial of this state directory is ours.
            if (!text.Contains("trial-run", StringComparison.Ordinal) || !text.Contains(state, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                using var process = Process.GetProcessById(id);
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (ArgumentException)
            {
                // It ended in the meantime.
            }
            catch (InvalidOperationException)
            {
                // As above.
            }
        }
    }
}

internal sealed record AttemptOnDisk(string TrialId, int Number, string ConfigName, string Directory, bool HasSummary);
