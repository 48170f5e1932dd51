using SweepCluster.Silo.Processes;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// The no-op trainer: every attempt "runs" in-process, writes one summary event and exits 0 at once,
/// so what is measured is the orchestration around a trial (claim, config file, report, completion),
/// not a child process or training.
/// </summary>
public sealed class NoOpTrialLauncher : ITrialProcessLauncher
{
    private int _nextId;

    /// <summary>How many attempts were started.</summary>
    public int Started => Volatile.Read(ref _nextId);

    public ITrialProcess Start(TrialLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new NoOpTrialProcess(Interlocked.Increment(ref _nextId));
    }
}
