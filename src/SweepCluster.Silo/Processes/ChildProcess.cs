using System.Diagnostics;
using System.Threading.Channels;

namespace SweepCluster.Silo.Processes;

/// <summary>An <see cref="ITrialProcess"/> over <see cref="Process"/>, for any command line (the trainer, or a script in tests).</summary>
public sealed class ChildProcess : ITrialProcess
{
    /// <summary>How long to keep reading a dead child's pipes: a grandchild may hold them open forever.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly Channel<TrialOutputLine> _output = Channel.CreateUnbounded<TrialOutputLine>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pumps;

    private ChildProcess(Process process)
    {
        _process = process;
        // Kept: the id is read for progress views at any time, also after the Process object is disposed.
        Id = process.Id;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput, false), PumpAsync(process.StandardError, true));
        _ = CompleteOutputAsync();
    }

    public int Id { get; }

    public ChannelReader<TrialOutputLine> Output => _output.Reader;

    /// <summary>Starts <paramref name="startInfo"/> with standard output and error redirected (set here).</summary>
    public static ChildProcess Start(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.RedirectStandardInput = false;
        var process = new Process { StartInfo = startInfo };
        try
        {
            if (!process.Start())
            {
                throw new InvalidOperationException($"{startInfo.FileName} did not start.");
            }
        }
        catch
        {
            process.Dispose();
            throw;
        }

        return new ChildProcess(process);
    }

    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exiting while being killed.
        }
    }

    public void Terminate()
    {
        if (OperatingSystem.IsWindows())
        {
            Kill();
            return;
        }

        try
        {
            if (_process.HasExited)
            {
                return;
            }
        }
        catch (InvalidOperationException)
        {
            return;
        }

        // ESRCH (it exited meanwhile) is the only failure kill(2) can give a child of ours; nothing to do then.
        _ = NativeMethods.Kill(Id, NativeMethods.SigTerm);
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await CompleteOutputAsync();
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader, bool isError)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                _output.Writer.TryWrite(new TrialOutputLine(isError, line));
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
            // The pipe closed under us.
        }
    }

    private async Task CompleteOutputAsync()
    {
        await _process.WaitForExitAsync();
        await Task.WhenAny(_pumps, Task.Delay(OutputGrace));
        _output.Writer.TryComplete();
    }
}

internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
