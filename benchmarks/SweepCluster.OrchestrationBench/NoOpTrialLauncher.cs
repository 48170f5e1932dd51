using SweepCluster.Silo.Processes;

namespace SweepCluster.OrchestrationBench;

/// <summary>
/// The no-op trainer of one silo: every attempt "runs" in-process, writes one summary event and exits 0 at once, so
/// what is measured is the orchestration around a trial (placement, launch, start and completion reports), not a child
/// process or training. Starts and exits are told to the <see cref="PlacementRecorder"/>.
/// </summary>
internal sealed class NoOpTrialLauncher(string siloId, PlacementRecorder recorder) : ITrialProcessLauncher
{
    private int _nextId;

    /// <summary>How many attempts were started.</summary>
    public int Started => Volatile.Read(ref _nextId);

    public ITrialProcess Start(TrialLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var slot = $"{siloId}/{string.Join(',', request.Assignment.Slots.Select(s => s.Id))}";
        recorder.Started(slot, request.Assignment.TrialId);
        return new NoOpTrialProcess(Interlocked.Increment(ref _nextId), () => recorder.Exited(slot));
    }
}
