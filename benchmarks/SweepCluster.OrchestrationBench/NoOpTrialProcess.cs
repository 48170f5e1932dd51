using System.Threading.Channels;
using SweepCluster.Silo.Processes;

namespace SweepCluster.OrchestrationBench;

/// <summary>An attempt that has already finished: one summary line on standard output, exit code 0.</summary>
public sealed class NoOpTrialProcess : ITrialProcess
{
    private const string SummaryLine = """{"type":"summary","summary":{"objective":0.0}}""";

    private readonly Channel<TrialOutputLine> _output = Channel.CreateUnbounded<TrialOutputLine>();

    /// <param name="id">A counter, not an operating-system process id: nothing is started.</param>
    public NoOpTrialProcess(int id)
    {
        Id = id;
        _output.Writer.TryWrite(new TrialOutputLine(false, SummaryLine));
        _output.Writer.TryComplete();
    }

    public int Id { get; }

    public ChannelReader<TrialOutputLine> Output => _output.Reader;

    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) => Task.FromResult(0);

    public void Kill()
    {
        // Nothing runs, so there is nothing to kill.
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
