namespace SweepCluster.Silo.Processes;

/// <summary>
/// Starts one child process per attempt. Must be thread safe: attempts on different slots start
/// concurrently. Throws when the process cannot be started; the runtime then fails that attempt.
/// </summary>
public interface ITrialProcessLauncher
{
    ITrialProcess Start(TrialLaunchRequest request);
}
