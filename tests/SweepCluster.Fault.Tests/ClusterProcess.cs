using System.Diagnostics;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// One real process a test started (coordinator, silo, client command): its output goes to a log
/// file and a short in-memory tail for failure messages; disposing kills it and its children by PID.
/// </summary>
public sealed class ClusterProcess : IDisposable
{
    private const int TailLines = 40;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _tail = new();
    private readonly Lock _gate = new();

    private ClusterProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        LogPath = logPath;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    /// <summary>Everything the process wrote, standard output and error interleaved by line.</summary>
    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>; standard output and error go to <paramref name="logPath"/>.</summary>
    public static ClusterProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory, string logPath)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info };
        var started = new ClusterProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>SIGKILL to the process and every descendant (a trial child dies with its silo, as with its machine).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited while its tree was being listed.
        }
    }

    /// <summary>SIGSTOP to this process alone: it hangs (its children go on) until <see cref="Resume"/>.</summary>
    public void Pause() => SendSignal("STOP");

    /// <summary>SIGCONT: a paused process runs on from where it stopped.</summary>
    public void Resume() => SendSignal("CONT");

    /// <summary>Waits for the process to exit by itself; false when <paramref name="timeout"/> ran out first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The whole log so far.</summary>
    public string ReadLog()
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        return reader.ReadToEnd();
    }

    /// <summary>The last lines the process wrote.</summary>
    public string Tail()
    {
        lock (_gate)
        {
            return string.Join('\n', _tail);
        }
    }

    public void Dispose()
    {
        // SIGKILL ends a stopped process too; its children are found and killed all the same.
        KillTree();
        _process.Dispose();
        lock (_gate)
        {
            _log.Dispose();
        }
    }

    private void SendSignal(string signal)
    {
        var info = new ProcessStartInfo("kill") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add($"-{signal}");
        info.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(info)!;
        var error = kill.StandardError.ReadToEnd();
        Assert.True(kill.WaitForExit(10_000) && kill.ExitCode == 0, $"kill -{signal} {_process.Id} ({Name}) failed: {error}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }

            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal is not kept.
            }
        }
    }
}
