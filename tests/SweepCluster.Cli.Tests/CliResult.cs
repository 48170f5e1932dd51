namespace SweepCluster.Cli.Tests;

/// <summary>How a finished CLI process ended and what it printed.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Everything printed, for failure messages.</summary>
    public string Transcript => $"exit code {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
