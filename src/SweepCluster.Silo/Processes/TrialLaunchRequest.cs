using SweepCluster.Silo.Wire;

namespace SweepCluster.Silo.Processes;

/// <summary>Everything needed to start one attempt's child process.</summary>
/// <param name="ConfigPath">The resolved configuration, already written.</param>
/// <param name="OutputDirectory">The attempt directory (<c>--out</c>); files named in events live under it.</param>
/// <param name="ResumeCheckpointPath">The downloaded checkpoint to resume from, or null.</param>
/// <param name="Threads">CPU threads the child may use (for CPU slots); null for GPU slots.</param>
public sealed record TrialLaunchRequest(AttemptAssignment Assignment, string ConfigPath, string OutputDirectory, string? ResumeCheckpointPath, int? Threads);
