using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// An Orleans cluster of real processes of the built CLI on this machine, in its own temporary directory: a
/// <c>sweepcluster coordinator</c> (HTTP API on a free loopback port) and <c>sweepcluster silo</c> trainer silos,
/// all joined through one PostgreSQL database, each with its own silo port and work directory. Every wait is
/// bounded; disposing kills every process it started (with its children) by PID, also after a failed assertion.
/// </summary>
public sealed partial class FaultCluster : IAsyncDisposable
{
    public const string UserToken = "fault-tests-user-token-0123456789";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly List<ClusterProcess> _processes = [];
    private readonly Dictionary<int, ClusterProcess> _silosByPort = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output;
    private readonly StringBuilder _timeline = new();
    private readonly string _advertise;
    private readonly int _coordinatorSiloPort = FreePort();
    private ClusterProcess? _coordinator;
    private int _coordinatorStarts;

    private FaultCluster(string directory, string store, string advertise, ITestOutputHelper output)
    {
        Directory = directory;
        Store = store;
        _advertise = advertise;
        _output = output;
        Port = FreePort();
        ClusterId = $"fault-{Guid.NewGuid().ToString("N")[..8]}";
        User = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(20) };
        User.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", UserToken);
    }

    /// <summary>The temporary directory (sweep files, work directories, logs).</summary>
    public string Directory { get; }

    /// <summary>The cluster's database, as <c>--store</c> takes it.</summary>
    public string Store { get; }

    public string ClusterId { get; }

    /// <summary>The coordinator's HTTP port on loopback.</summary>
    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The coordinator's API with the user token.</summary>
    public HttpClient User { get; }

    /// <summary>Time since the cluster was created.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public ClusterProcess Coordinator => _coordinator ?? throw new InvalidOperationException("No coordinator was started.");

    /// <param name="advertise">The address every process outside a namespace advertises to the others (loopback unless a test network needs another).</param>
    public static FaultCluster Create(string name, string store, ITestOutputHelper output, string advertise = "127.0.0.1")
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sweepcluster-fault-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(directory);
        return new FaultCluster(directory, store, advertise, output);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes a timestamped line to the test output and keeps it for failure messages.</summary>
    public void Note(string message)
    {
        var line = $"{Elapsed.TotalSeconds,7:0.0} s  {message}";
        _timeline.AppendLine(line);
        _output.WriteLine(line);
    }

    /// <summary>Everything <see cref="Note"/> wrote so far.</summary>
    public string Timeline => _timeline.ToString();

    /// <summary>Starts <c>sweepcluster coordinator</c> (a silo without slots, the HTTP API, the scheduler's pump); does not wait.</summary>
    public ClusterProcess StartCoordinator()
    {
        Assert.True(_coordinator is null || _coordinator.HasExited, "The coordinator is still running.");
        _coordinatorStarts++;
        _coordinator = StartCli($"coordinator-{_coordinatorStarts}",
        [
            "coordinator", "--store", Store, "--listen", Url, "--silo-port", Invariant(_coordinatorSiloPort), "--gateway-port", "0",
            "--advertise", _advertise, "--cluster-id", ClusterId,
        ]);
        Note($"coordinator started (pid {_coordinator.Id}, silo port {_coordinatorSiloPort})");
        return _coordinator;
    }

    /// <summary>Waits until the coordinator answers <c>/healthz</c>.</summary>
    public async Task WaitForCoordinatorAsync(TimeSpan timeout)
    {
        var coordinator = Coordinator;
        await WaitUntilAsync(async () =>
        {
            Assert.False(coordinator.HasExited, $"The coordinator exited with {(coordinator.HasExited ? coordinator.ExitCode : 0)}.\n{Diagnostics()}");
            using var answer = await User.GetAsync(new Uri("/healthz", UriKind.Relative));
            return answer.IsSuccessStatusCode ? true : (bool?)null;
        }, timeout, "the coordinator to answer /healthz");
        Note("coordinator answers /healthz");
    }

    /// <summary>SIGKILL to the coordinator process: no shutdown, its silo leaves without a word.</summary>
    public void KillCoordinator()
    {
        Coordinator.KillTree();
        Note($"coordinator killed (SIGKILL, pid {Coordinator.Id})");
    }

    /// <summary>
    /// Starts a trainer silo (<c>sweepcluster silo</c>) named <paramref name="name"/> with <paramref name="cpuSlots"/>
    /// one-thread CPU slots and its own work directory; does not wait. <paramref name="wrapper"/> is a command the silo
    /// runs under (<c>ip netns exec NAME</c>), <paramref name="advertise"/> and <paramref name="store"/> replace the
    /// cluster's for a silo that sees the others at other addresses.
    /// </summary>
    public ClusterProcess StartSilo(string name, int cpuSlots, IReadOnlyList<string>? wrapper = null, string? advertise = null, string? store = null)
    {
        var workDirectory = Path.Combine(Directory, $"silo-{name}");
        System.IO.Directory.CreateDirectory(workDirectory);
        var port = FreePort();
        var silo = StartCli($"silo-{name}",
        [
            "silo", "--store", store ?? Store, "--name", name, "--cpu-slots", Invariant(cpuSlots), "--threads", "1", "--work-dir", workDirectory,
            "--silo-port", Invariant(port), "--gateway-port", "0", "--advertise", advertise ?? _advertise, "--cluster-id", ClusterId,
        ], wrapper);
        _silosByPort[port] = silo;
        Note($"silo {name} started (pid {silo.Id}, silo port {port}, {cpuSlots} slot(s))");
        return silo;
    }

    /// <summary>
    /// Waits until every named silo is an active member with its slots and the scheduler places on it (<c>/silos</c>,
    /// <c>placing</c>); returns name to silo id.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitForSilosAsync(TimeSpan timeout, params string[] names)
    {
        var silos = await WaitUntilAsync(async () =>
        {
            var listed = (await GetJsonAsync("/silos")).EnumerateArray().Where(s => s.GetProperty("placing").GetBoolean())
                .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("id").GetString()!, StringComparer.Ordinal);
            return names.All(listed.ContainsKey) ? listed : null;
        }, timeout, $"silos {string.Join(", ", names)} to join");
        Note($"silos joined: {string.Join(", ", names.Select(n => $"{n} = {silos[n]}"))}");
        return silos;
    }

    /// <summary>The silo process a silo id (<c>ip:port@generation</c>) names.</summary>
    public ClusterProcess SiloProcess(string siloId)
    {
        ArgumentNullException.ThrowIfNull(siloId);
        var endpoint = siloId.Split('@')[0];
        var port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        Assert.True(_silosByPort.TryGetValue(port, out var silo), $"No silo of this cluster listens on port {port} ({siloId}).");
        return silo;
    }

    /// <summary>Writes <see cref="FaultSweep"/> with <paramref name="rows"/> rows and submits it with <c>sweepcluster submit</c>; returns the sweep id.</summary>
    public Task<string> SubmitAsync(string name, int rows) => SubmitTextAsync(name, FaultSweep.Text(name, rows), rows);

    /// <summary>Writes the sweep file <paramref name="text"/> (of <paramref name="rows"/> trials) and submits it; returns the sweep id.</summary>
    public async Task<string> SubmitTextAsync(string name, string text, int rows)
    {
        var path = Path.Combine(Directory, $"{name}.yaml");
        await File.WriteAllTextAsync(path, text);
        var (exit, output) = await RunCliAsync("submit", ["submit", path, "--coordinator", Url]);
        Assert.True(exit == 0, $"submit exited with {exit}:\n{output}\n{Diagnostics()}");
        var match = SubmittedSweep().Match(output);
        Assert.True(match.Success, $"submit printed no sweep id:\n{output}");
        Note($"sweep {match.Groups[1].Value} submitted ({rows} trial(s))");
        return match.Groups[1].Value;
    }

    /// <summary>Runs a CLI command to its end (at most three minutes) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunCliAsync(string name, IReadOnlyList<string> arguments)
    {
        var logPath = Path.Combine(Directory, $"{name}-{Guid.NewGuid().ToString("N")[..8]}.log");

        // Tracked like the services: a test that fails while a client still runs leaves nothing behind either.
        var process = StartProcess(name, "dotnet", [RepositoryLayout.CliDll, .. arguments], logPath, track: true);
        try
        {
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(3)), $"{name} did not exit within three minutes:\n{process.Tail()}");
        }
        finally
        {
            process.KillTree();
        }

        // The asynchronous output readers may still be flushing the last lines after exit.
        await Task.Delay(100);
        return (process.ExitCode, process.ReadLog());
    }

    /// <summary>GET with the user token; the answer's JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var answer = await User.GetAsync(new Uri(path, UriKind.Relative));
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.IsSuccessStatusCode, $"GET {path}: {(int)answer.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public async Task<IReadOnlyList<TrialView>> GetTrialsAsync(string sweepId) =>
        TrialView.ListFromSweep(await GetJsonAsync($"/api/sweeps/{Uri.EscapeDataString(sweepId)}"));

    public async Task<IReadOnlyList<MetricPointRecord>> GetMetricsAsync(string trialId) =>
        [.. (await GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}/metrics")).EnumerateArray().Select(MetricPointRecord.FromApi)];

    public async Task<IReadOnlyList<AttemptView>> GetAttemptsAsync(string trialId) =>
        [.. (await GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}/attempts")).EnumerateArray().Select(AttemptView.FromApi)];

    /// <summary>The trial's stored artifacts: (attempt, kind, created at).</summary>
    public async Task<IReadOnlyList<(int Attempt, string Kind, DateTimeOffset CreatedAt)>> GetArtifactsAsync(string trialId) =>
        [.. (await GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}/artifacts")).EnumerateArray()
            .Select(a => (a.GetProperty("attempt").GetInt32(), a.GetProperty("kind").GetString()!, a.GetProperty("createdAt").GetDateTimeOffset()))];

    /// <summary>The sweep's event log, oldest first: (kind, trial, attempt, at, message).</summary>
    public async Task<IReadOnlyList<(string Kind, string? TrialId, int? Attempt, DateTimeOffset At, string Message)>> GetEventsAsync(string sweepId)
    {
        var events = new List<(string, string?, int?, DateTimeOffset, string)>();
        long? after = null;
        for (var page = 0; page < 1000; page++)
        {
            var query = $"/api/events?sweepId={Uri.EscapeDataString(sweepId)}&limit=500" + (after is null ? string.Empty : $"&afterId={after}");
            var batch = (await GetJsonAsync(query)).EnumerateArray().ToList();
            foreach (var e in batch)
            {
                events.Add((
                    e.GetProperty("kind").GetString()!,
                    e.GetProperty("trialId").ValueKind == JsonValueKind.String ? e.GetProperty("trialId").GetString() : null,
                    e.GetProperty("attempt").ValueKind == JsonValueKind.Number ? e.GetProperty("attempt").GetInt32() : null,
                    e.GetProperty("at").GetDateTimeOffset(),
                    e.GetProperty("message").GetString()!));
                after = e.GetProperty("id").GetInt64();
            }

            if (batch.Count < 500)
            {
                break;
            }
        }

        return events;
    }

    /// <summary>A trial's state and attempts in one line, for timeout messages.</summary>
    public async Task<string> DescribeTrialAsync(string sweepId, string trialId)
    {
        var trial = (await GetTrialsAsync(sweepId)).Single(t => t.Id == trialId);
        return $"{trial}; attempts {string.Join(", ", await GetAttemptsAsync(trialId))}";
    }

    /// <summary>Waits until every trial of the sweep has finished; returns them.</summary>
    public Task<IReadOnlyList<TrialView>> WaitForSweepToFinishAsync(string sweepId, TimeSpan timeout) =>
        WaitUntilAsync(async () =>
        {
            var trials = await GetTrialsAsync(sweepId);
            return trials.Count > 0 && trials.All(t => t.IsFinished) ? trials : null;
        }, timeout, $"sweep {sweepId} to finish");

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value, for at most <paramref name="timeout"/>. Transport
    /// errors count as "not yet" (the coordinator may be restarting); assertion failures inside the probe end the wait.
    /// </summary>
    /// <param name="state">What to add to the timeout's message (the trial's state and attempts, say).</param>
    public async Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, Func<Task<string>>? state = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var deadline = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException
                || (exception is Xunit.Sdk.TrueException && exception.Message.StartsWith("GET ", StringComparison.Ordinal)))
            {
                lastError = exception.Message;
            }

            if (deadline.Elapsed > timeout)
            {
                var now = string.Empty;
                if (state is not null)
                {
                    try
                    {
                        now = $" Now: {await state()}.";
                    }
                    catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or Xunit.Sdk.XunitException)
                    {
                        now = $" (Its state could not be read: {exception.Message}.)";
                    }
                }

                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.{now} Last error: {lastError ?? "none"}\n{Diagnostics()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The timeline and the last lines of every process this cluster started, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine("--- timeline ---").Append(Timeline);
        foreach (var process in _processes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"--- {process.Name} (pid {process.Id}{(process.HasExited ? $", exited {process.ExitCode}" : string.Empty)}; log {process.LogPath}) ---");
            text.AppendLine(process.Tail());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Silos first, the coordinator last: a silo's children go with it (SIGKILL to the whole tree).
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            _processes[i].Dispose();
        }

        User.Dispose();
        await Task.Yield();
        if (Environment.GetEnvironmentVariable("SWEEPCLUSTER_FAULT_KEEP") == "1")
        {
            _output.WriteLine($"kept {Directory} (SWEEPCLUSTER_FAULT_KEEP=1)");
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying child; the temporary directory is left behind.
        }
        catch (UnauthorizedAccessException)
        {
            // Left behind, as above.
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private ClusterProcess StartCli(string name, IReadOnlyList<string> arguments, IReadOnlyList<string>? wrapper = null)
    {
        var logPath = Path.Combine(Directory, $"{name}.log");
        return wrapper is null
            ? StartProcess(name, "dotnet", [RepositoryLayout.CliDll, .. arguments], logPath, track: true)
            : StartProcess(name, wrapper[0], [.. wrapper.Skip(1), "dotnet", RepositoryLayout.CliDll, .. arguments], logPath, track: true);
    }

    private ClusterProcess StartProcess(string name, string fileName, IReadOnlyList<string> arguments, string logPath, bool track)
    {
        var environment = new Dictionary<string, string>
        {
            ["SWEEPCLUSTER_USER_TOKEN"] = UserToken,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            // Request and retry-pipeline logs of every poll would bury what the processes say about the faults.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Polly"] = "Warning",
        };
        var process = ClusterProcess.Start(name, fileName, arguments, environment, Directory, logPath);
        if (track)
        {
            _processes.Add(process);
        }

        return process;
    }

    [GeneratedRegex(@"^sweep (\S+):", RegexOptions.Multiline)]
    private static partial Regex SubmittedSweep();
}
