namespace SweepCluster.Silo.Processes;

/// <summary>One line a child wrote, from its standard output (protocol events) or standard error (logs).</summary>
public sealed record TrialOutputLine(bool IsStandardError, string Text);
