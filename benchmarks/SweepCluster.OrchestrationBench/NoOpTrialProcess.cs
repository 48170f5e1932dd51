using System.Threading.Channels;
using SweepCluster.Silo.Processes;

namespace SweepCluster.OrchestrationBench;

/// <summary>An attempt that has already finished: one summary line on standard output, exit code 0.</summary>
internal sealed class NoOpTrialProcess : ITrialProcess
{
    private const string SummaryLine = """{"type":"summary","summary":{"objective":0.0}}""";

    private readonly Channel<TrialOutputLine> _output = Channel.CreateUnbounded<TrialOutputLine>();

    private readonly Action _exited;

    /// <param name="id">A counter, not an operating-system process id: nothing is started.</param>
    /// <param name="exited">Called when the runner waits for the exit, having read the output: from there on the slot
    /// only waits for the orchestration.</param>
    public NoOpTrialProcess(int id, Action exited)
    {
        Id = id;
        _exited = exited;
        _output.Writer.TryWrite(new TrialOutputLine(false, SummaryLine));
        _output.Writer.TryComplete();
    }

    public int Id { get; }

    public ChannelReader<TrialOutputLine> Output => _output.Reader;

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        _exited();
        return Task.FromResult(0);
    }

    public void Kill()
    {
        // Nothing runs, so there is nothing to kill.
    }

    public void Terminate()
    {
        // Nothing runs, so there is nothing to stop.
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
