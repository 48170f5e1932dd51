using System.Threading.Channels;

namespace SweepCluster.Silo.Processes;

/// <summary>
/// A running attempt's child process. <see cref="Output"/> yields its standard output and error
/// lines in arrival order per stream and completes after the process exited (and its pipes
/// drained, or a short grace ran out). <see cref="Kill"/> kills the whole process tree and may be
/// called any number of times, from any thread, also after exit. Owned by the caller, who disposes it.
/// </summary>
public interface ITrialProcess : IAsyncDisposable
{
    /// <summary>The operating system's process id.</summary>
    int Id { get; }

    ChannelReader<TrialOutputLine> Output { get; }

    /// <summary>The exit code; 128 + signal number when a signal ended it (137 for SIGKILL).</summary>
    Task<int> WaitForExitAsync(CancellationToken cancellationToken);

    void Kill();

    /// <summary>
    /// Asks the process to stop (SIGTERM): the trainer ends at its next step and exits with 143. Whoever asks kills it
    /// with <see cref="Kill"/> if it has not ended after a grace period. May be called any number of times, also after exit.
    /// </summary>
    void Terminate();
}
