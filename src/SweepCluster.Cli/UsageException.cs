namespace SweepCluster.Cli;

/// <summary>A command was given what it cannot work with; its message names the option and the fix, and is printed without a stack trace (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
