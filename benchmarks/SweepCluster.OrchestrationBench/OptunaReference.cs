using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace SweepCluster.OrchestrationBench;

/// <summary>Runs <c>Reference/optuna_noop.py</c> and reads its one-line JSON answer.</summary>
internal static class OptunaReference
{
    public sealed record Result(TimeSpan Wall, int Complete, int Errors, string Version);

    public static async Task<Result> RunAsync(BenchSettings settings, string storageUrl, CancellationToken cancellationToken)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "optuna_noop.py");
        var start = new ProcessStartInfo(settings.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            script, "--storage", storageUrl, "--trials", settings.Trials.ToString(CultureInfo.InvariantCulture),
            "--jobs", settings.Workers.ToString(CultureInfo.InvariantCulture), "--mode", settings.OptunaMode,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {settings.Python}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = await stdout;
        var lastLine = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null || !lastLine.StartsWith('{'))
        {
            throw new InvalidOperationException($"The Optuna reference failed (exit {process.ExitCode}): {text}{await stderr}");
        }

        using var answer = JsonDocument.Parse(lastLine);
        var root = answer.RootElement;
        return new Result(TimeSpan.FromSeconds(root.GetProperty("wall_s").GetDouble()), root.GetProperty("trials_complete").GetInt32(),
            root.GetProperty("errors").GetInt32(), root.GetProperty("optuna").GetString() ?? "?");
    }
}
