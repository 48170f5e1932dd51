using System.Diagnostics;
using System.Text;

namespace SweepCluster.Cli.Tests;

/// <summary>
/// One <c>dotnet sweepcluster.dll ...</c> child with its output captured line by line. Waits are
/// bounded and event driven (a line arrives, the process exits); dispose kills it by its id if it
/// is still running.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;
    private readonly Lock _lock = new();
    private readonly List<string> _output = [];
    private readonly StringBuilder _error = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly IReadOnlyList<string> _arguments;

    /// <summary>Whether this process ignores SIGINT (bit 2 of SigIgn in /proc/self/status), which children inherit.</summary>
    private static bool SigIntIgnored { get; } = File.ReadLines("/proc/self/status")
        .Where(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))
        .Select(l => (Convert.ToUInt64(l["SigIgn:".Length..].Trim(), 16) & 0x2) != 0)
        .FirstOrDefault();

    private CliProcess(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // A test run started in the background of a non-interactive shell inherits SIGINT ignored, and the .NET runtime
        // keeps an ignored SIGINT ignored: Ctrl-C tests would then test nothing. Such a child is started through
        // python3 (which the project installs), which restores the default disposition before it executes the CLI.
        var info = new ProcessStartInfo(SigIntIgnored ? "python3" : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (SigIntIgnored)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])");
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(CliPaths.CliDll);
        _arguments = arguments;
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            // null: the variable is not passed on, whatever the test process has.
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _errorClosed.TrySetResult();
                return;
            }

            lock (_lock)
            {
                _error.AppendLine(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;
    }

    public int Id { get; }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    public static CliProcess Start(string workingDirectory, params string[] arguments) => new(workingDirectory, arguments);

    /// <summary>Runs the CLI to its end with these environment variables set (null: removed).</summary>
    public static async Task<CliResult> RunWithEnvironmentAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] arguments)
    {
        using var process = new CliProcess(workingDirectory, arguments, environment);
        return await process.WaitForExitAsync(timeout);
    }

    /// <summary>Runs the CLI to its end (at most <paramref name="timeout"/>).</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        using var process = Start(workingDirectory, arguments);
        return await process.WaitForExitAsync(timeout);
    }

    /// <summary>Waits for the process to end; a process still running at the deadline is killed and the test fails.</summary>
    public async Task<CliResult> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            // The exit can be seen before the last lines were read.
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"`sweepcluster {string.Join(' ', _arguments)}` still running after {timeout.TotalSeconds:F0} s\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}");
        }

        return new CliResult(_process.ExitCode, Output, Error);
    }

    /// <summary>The first output line (already printed or still to come) that matches; fails at the deadline or when the process ends first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, string what)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var earlier = _output.FirstOrDefault(match);
            if (earlier is not null)
            {
                return earlier;
            }

            _waiters.Add((match, found));
        }

        var finished = await Task.WhenAny(found.Task, _outputClosed.Task, Task.Delay(timeout));
        if (finished == found.Task)
        {
            return await found.Task;
        }

        var reason = finished == _outputClosed.Task ? "the process ended first" : $"nothing after {timeout.TotalSeconds:F0} s";
        Assert.Fail($"no output line {what}: {reason}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}");
        return string.Empty;
    }

    /// <summary>Sends a signal (INT, KILL, ...) to the CLI process only, as a user's Ctrl-C or a crash would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, $"kill -{signal} {Id} failed with exit code {kill.ExitCode}");
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                // The tree: a run's trial children go with it.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _outputClosed.TrySetResult();
            return;
        }

        List<TaskCompletionSource<string>> matched = [];
        lock (_lock)
        {
            _output.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    matched.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var found in matched)
        {
            found.TrySetResult(line);
        }
    }
}
