using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A cluster of real processes of the built CLI on this machine, in its own temporary directory:
/// a coordinator on a free loopback port, silos, client commands, and the coordinator's HTTP API
/// with the user and silo tokens. Every wait is bounded; disposing kills every process it started
/// (with its children) by PID, also after a failed assertion.
/// </summary>
public sealed partial class FaultCluster : IAsyncDisposable
{
    public const string SiloToken = "fault-tests-silo-token-0123456789";
    public const string UserToken = "fault-tests-user-token-0123456789";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(150);

    private readonly List<ClusterProcess> _processes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private ClusterProcess? _coordinator;
    private string? _coordinatorStore;
    private int _coordinatorLeaseTtl;
    private string? _coordinatorListen;
    private int _coordinatorStarts;

    private FaultCluster(string directory, int port)
    {
        Directory = directory;
        Port = port;
        User = NewClient(UserToken);
        Silo = NewClient(SiloToken);
    }

    /// <summary>The temporary directory (store, work directories, logs).</summary>
    public string Directory { get; }

    public int Port { get; }

    /// <summary>The coordinator's loopback URL.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>The coordinator's API with the user token.</summary>
    public HttpClient User { get; }

    /// <summary>The coordinator's API with the silo token.</summary>
    public HttpClient Silo { get; }

    /// <summary>Time since the cluster was created, for the tests' timing notes.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    public static FaultCluster Create(string name)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sweepcluster-fault-{name}-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(directory);
        return new FaultCluster(directory, FreePort());
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts the coordinator on <see cref="Port"/> over <paramref name="store"/> and waits until it answers.
    /// <paramref name="listen"/> replaces the loopback listen URL(s) (ASP.NET's <c>;</c>-separated list).
    /// </summary>
    public async Task StartCoordinatorAsync(string store, int leaseTtlSeconds, string? listen = null)
    {
        _coordinatorStore = store;
        _coordinatorLeaseTtl = leaseTtlSeconds;
        _coordinatorListen = listen ?? Url;
        await RestartCoordinatorAsync();
    }

    /// <summary>Starts the coordinator again with the same store, port and TTL (after <see cref="KillCoordinator"/>).</summary>
    public async Task RestartCoordinatorAsync()
    {
        Assert.True(_coordinator is null || _coordinator.HasExited, "The coordinator is still running.");
        _coordinatorStarts++;
        _coordinator = StartCli($"coordinator-{_coordinatorStarts}", ["coordinator", "--store", _coordinatorStore!, "--listen", _coordinatorListen!, "--lease-ttl", $"{_coordinatorLeaseTtl}"]);
        await WaitUntilAsync(async () =>
        {
            Assert.False(_coordinator.HasExited, $"The coordinator exited with {(_coordinator.HasExited ? _coordinator.ExitCode : 0)}.\n{Diagnostics()}");
            using var answer = await User.GetAsync(new Uri("/healthz", UriKind.Relative));
            return answer.IsSuccessStatusCode ? true : (bool?)null;
        }, TimeSpan.FromSeconds(60), "the coordinator to answer /healthz");
    }

    /// <summary>SIGKILL to the coordinator process (no shutdown: what it had not written is lost).</summary>
    public void KillCoordinator() => _coordinator?.KillTree();

    /// <summary>
    /// Starts a silo with <paramref name="cpuSlots"/> one-thread CPU slots. <paramref name="coordinatorUrl"/>
    /// replaces <see cref="Url"/>; <paramref name="wrapper"/> is a command the silo runs under (for example <c>ip netns exec NAME</c>).
    /// </summary>
    public ClusterProcess StartSilo(string id, int cpuSlots, double heartbeatSeconds, string? coordinatorUrl = null, IReadOnlyList<string>? wrapper = null)
    {
        var workDirectory = Path.Combine(Directory, $"silo-{id}");
        System.IO.Directory.CreateDirectory(workDirectory);
        string[] arguments =
        [
            "silo", "--coordinator", coordinatorUrl ?? Url, "--id", id, "--cpu-slots", $"{cpuSlots}", "--threads", "1",
            "--work-dir", workDirectory, "--heartbeat-interval", heartbeatSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        return StartCli($"silo-{id}", arguments, wrapper);
    }

    /// <summary>Writes <see cref="FaultSweep"/> into the directory and checks it with <c>validate</c>.</summary>
    public async Task<string> WriteSweepAsync(string name, int rows)
    {
        var path = Path.Combine(Directory, $"{name}.yaml");
        await File.WriteAllTextAsync(path, FaultSweep.Text(name, rows));
        var (exit, output) = await RunCliAsync("validate", ["validate", path, "--profile", "cpu"]);
        Assert.True(exit == 0, $"validate {path} exited with {exit}:\n{output}");
        return path;
    }

    /// <summary>Submits the sweep file with profile <c>cpu</c>; returns the sweep id.</summary>
    public async Task<string> SubmitAsync(string sweepFile)
    {
        var (exit, output) = await RunCliAsync("submit", ["submit", sweepFile, "--profile", "cpu", "--coordinator", Url]);
        Assert.True(exit == 0, $"submit exited with {exit}:\n{output}");
        var match = SubmittedSweep().Match(output);
        Assert.True(match.Success, $"submit printed no sweep id:\n{output}");
        return match.Groups[1].Value;
    }

    /// <summary>Runs a CLI command to its end (at most two minutes) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunCliAsync(string name, IReadOnlyList<string> arguments)
    {
        var logPath = Path.Combine(Directory, $"{name}-{Guid.NewGuid().ToString("N")[..8]}.log");
        using var process = StartProcess(name, "dotnet", [RepositoryLayout.CliDll, .. arguments], logPath, track: false);
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(2)), $"{name} did not exit within two minutes:\n{process.Tail()}");
        return (process.ExitCode, await ReadLogAsync(logPath));
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

    /// <summary>The trial's attempts: (number, state, silo).</summary>
    public async Task<IReadOnlyList<(int Number, string State, string SiloId)>> GetAttemptsAsync(string trialId) =>
        [.. (await GetJsonAsync($"/api/trials/{Uri.EscapeDataString(trialId)}/attempts")).EnumerateArray()
            .Select(a => (a.GetProperty("number").GetInt32(), a.GetProperty("state").GetString()!, a.GetProperty("siloId").GetString()!))];

    /// <summary>The sweep's event log: (kind, trial, attempt, at, message).</summary>
    public async Task<IReadOnlyList<(string Kind, string? TrialId, int? Attempt, DateTimeOffset At, string Message)>> GetEventsAsync(string sweepId)
    {
        var events = new List<(string, string?, int?, DateTimeOffset, string)>();
        long? after = null;
        while (true)
        {
            var query = $"/api/events?sweepId={Uri.EscapeDataString(sweepId)}&limit=500" + (after is null ? string.Empty : $"&afterId={after}");
            var page = (await GetJsonAsync(query)).EnumerateArray().ToList();
            foreach (var e in page)
            {
                events.Add((
                    e.GetProperty("kind").GetString()!,
                    e.GetProperty("trialId").ValueKind == JsonValueKind.String ? e.GetProperty("trialId").GetString() : null,
                    e.GetProperty("attempt").ValueKind == JsonValueKind.Number ? e.GetProperty("attempt").GetInt32() : null,
                    e.GetProperty("at").GetDateTimeOffset(),
                    e.GetProperty("message").GetString()!));
                after = e.GetProperty("id").GetInt64();
            }

            if (page.Count < 500)
            {
                return events;
            }
        }
    }

    /// <summary>Waits until every trial of the sweep has finished; returns them.</summary>
    public Task<IReadOnlyList<TrialView>> WaitForSweepToFinishAsync(string sweepId, TimeSpan timeout) =>
        WaitUntilAsync(async () =>
        {
            var trials = await GetTrialsAsync(sweepId);
            return trials.Count > 0 && trials.All(t => t.IsFinished) ? trials : null;
        }, timeout, $"sweep {sweepId} to finish");

    /// <summary>
    /// Polls <paramref name="probe"/> until it returns a value, for at most <paramref name="timeout"/>.
    /// Transport errors count as "not yet" (the coordinator may be restarting); assertion failures inside the probe end the wait.
    /// </summary>
    public async Task<T> WaitUntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
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
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}. Last error: {lastError ?? "none"}\n{Diagnostics()}");
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The last lines of every process this cluster started, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var process in _processes)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"--- {process.Name} (pid {process.Id}{(process.HasExited ? $", exited {process.ExitCode}" : string.Empty)}) ---");
            text.AppendLine(process.Tail());
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Silos first, so they do not report into a coordinator that is going away.
        for (var i = _processes.Count - 1; i >= 0; i--)
        {
            _processes[i].Dispose();
        }

        User.Dispose();
        Silo.Dispose();
        await Task.Yield();
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

    private static async Task<string> ReadLogAsync(string path)
    {
        // The asynchronous output readers may still be flushing the last lines after exit.
        await Task.Delay(100);
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return await reader.ReadToEndAsync();
    }

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
            ["SWEEPCLUSTER_SILO_TOKEN"] = SiloToken,
            ["SWEEPCLUSTER_USER_TOKEN"] = UserToken,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        var process = ClusterProcess.Start(name, fileName, arguments, environment, Directory, logPath);
        if (track)
        {
            _processes.Add(process);
        }

        return process;
    }

    private HttpClient NewClient(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [GeneratedRegex(@"^sweep (\S+):", RegexOptions.Multiline)]
    private static partial Regex SubmittedSweep();
}
