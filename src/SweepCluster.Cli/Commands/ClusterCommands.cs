using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SweepCluster.Cli.Output;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Store;
using SweepCluster.Coordinator;
using SweepCluster.Silo;
using SweepCluster.Silo.Processes;

namespace SweepCluster.Cli.Commands;

/// <summary>The cluster: <c>coordinator</c> and <c>silo</c> services, and the client commands against them.</summary>
internal static class ClusterCommands
{
    private const string CoordinatorVariable = "SWEEPCLUSTER_COORDINATOR";
    private const string UserTokenVariable = "SWEEPCLUSTER_USER_TOKEN";
    private const string SiloTokenVariable = "SWEEPCLUSTER_SILO_TOKEN";

    /// <summary>The token a silo's own /metrics requires (the chart sets it to the user token).</summary>
    public const string MetricsTokenVariable = "SWEEPCLUSTER_METRICS_TOKEN";

    public static Command Coordinator()
    {
        var store = new Option<string?>("--store") { Description = "sqlite:PATH or postgres://user:pass@host:port/db (default: $SWEEPCLUSTER_STORE)" };
        var listen = new Option<string>("--listen") { Description = "Listen URL", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var siloTokenFile = new Option<string?>("--silo-token-file") { Description = $"File holding the silo token (else ${SiloTokenVariable})" };
        var userTokenFile = new Option<string?>("--user-token-file") { Description = $"File holding the user token (else ${UserTokenVariable})" };
        var leaseTtl = new Option<int>("--lease-ttl") { Description = "Seconds an attempt's lease lives without a heartbeat (silos must beat several times per TTL: see silo --heartbeat-interval)", DefaultValueFactory = _ => 60 };
        var command = new Command("coordinator", "Run the cluster coordinator (HTTP API, leases, placement) over a SQLite or PostgreSQL store.")
        {
            store, listen, siloTokenFile, userTokenFile, leaseTtl,
        };
        command.SetAction(async (result, ct) =>
        {
            var location = result.GetValue(store) ?? Environment.GetEnvironmentVariable("SWEEPCLUSTER_STORE");
            if (string.IsNullOrWhiteSpace(location))
            {
                Console.Error.WriteLine("--store: give sqlite:PATH or postgres://... (or set SWEEPCLUSTER_STORE)");
                return 2;
            }

            await using var opened = (IAsyncDisposable)await TrialStoreFactory.OpenAsync(location, TimeProvider.System, ct);
            var app = CoordinatorHost.Build(new CoordinatorHostOptions
            {
                Store = (ITrialStore)opened,
                Urls = result.GetValue(listen)!,
                SiloTokenFile = result.GetValue(siloTokenFile),
                UserTokenFile = result.GetValue(userTokenFile),
                Core = new CoordinatorOptions { LeaseTtl = TimeSpan.FromSeconds(result.GetValue(leaseTtl)) },
                ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Information),
            });
            Console.WriteLine($"coordinator on {result.GetValue(listen)}, store {PostgresConnectionString.Redact(location)}");
            await app.StartAsync(ct);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM: stop serving; the store keeps every acknowledged write.
            }

            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }

    public static Command Silo()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "Coordinator URL", Required = true };
        var id = new Option<string?>("--id") { Description = "Silo id (default: the host name)" };
        var name = new Option<string?>("--name") { Description = "Display name (default: the id)" };
        var workDir = new Option<string>("--work-dir") { Description = "Where attempts run", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "sweepcluster-silo") };
        var cpuSlots = new Option<int?>("--cpu-slots") { Description = "Offer N CPU slots instead of the GPUs" };
        var threads = new Option<int?>("--threads") { Description = "Threads per CPU slot" };
        var labels = new Option<string[]>("--label") { Description = "key=value label (repeatable)", AllowMultipleArgumentsPerToken = true };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = $"host:port for this silo's /metrics (needs a token: ${MetricsTokenVariable} or --metrics-token-file)" };
        var metricsTokenFile = new Option<string?>("--metrics-token-file") { Description = $"File holding the token /metrics requires (else ${MetricsTokenVariable})" };
        var heartbeat = new Option<double>("--heartbeat-interval")
        {
            Description = "Seconds between heartbeats; keep it at most a third of the coordinator's --lease-ttl",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("silo", "Run a silo: offer this machine's GPUs (or CPU slots) to a coordinator and run its attempts.")
        {
            coordinator, id, name, workDir, cpuSlots, threads, labels, metricsListen, metricsTokenFile, heartbeat,
        };
        command.SetAction(async (result, ct) =>
        {
            var token = Environment.GetEnvironmentVariable(SiloTokenVariable);
            if (string.IsNullOrWhiteSpace(token))
            {
                Console.Error.WriteLine($"set {SiloTokenVariable} to the coordinator's silo token");
                return 2;
            }

            var parsedLabels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in result.GetValue(labels) ?? [])
            {
                var parts = label.Split('=', 2);
                if (parts.Length != 2 || parts[0].Length == 0)
                {
                    Console.Error.WriteLine($"--label '{label}': expected key=value");
                    return 2;
                }

                parsedLabels[parts[0]] = parts[1];
            }

            var heartbeatSeconds = result.GetValue(heartbeat);
            if (!(heartbeatSeconds >= 0.1 && heartbeatSeconds <= 3600))
            {
                Console.Error.WriteLine($"--heartbeat-interval {heartbeatSeconds}: give a number of seconds from 0.1 to 3600");
                return 2;
            }

            var (slots, perSlot, slotText) = SlotPlanner.Plan(result.GetValue(cpuSlots), result.GetValue(threads));
            var siloId = result.GetValue(id) ?? Environment.MachineName;
            var metricsToken = ReadToken(result.GetValue(metricsTokenFile), "--metrics-token-file", MetricsTokenVariable);
            await using var metrics = await SiloMetrics.StartAsync(result.GetValue(metricsListen), siloId, metricsToken);
            using var http = new HttpClient { BaseAddress = new Uri(result.GetValue(coordinator)!), Timeout = TimeSpan.FromSeconds(100) };
            var silo = new SiloRuntime(
                new SiloOptions
                {
                    SiloId = siloId,
                    Name = result.GetValue(name) ?? siloId,
                    Labels = parsedLabels,
                    Slots = slots,
                    WorkDirectory = result.GetValue(workDir)!,
                    ThreadsPerCpuSlot = perSlot,
                    HeartbeatInterval = TimeSpan.FromSeconds(heartbeatSeconds),
                    Log = line => Console.WriteLine($"{DateTimeOffset.UtcNow:O} {line}"),
                },
                new CoordinatorClient(http, token),
                new CommandTrialProcessLauncher(LocalCluster.SelfCommand()));
            Console.WriteLine($"silo {siloId}: {slotText}; coordinator {result.GetValue(coordinator)}");
            try
            {
                await silo.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM: the runtime has stopped its children.
            }

            return 0;
        });
        return command;
    }

    public static Command Submit()
    {
        var file = new Argument<string>("file") { Description = "The sweep file" };
        var profile = new Option<string?>("--profile") { Description = "Profile (default: the sweep's, gpu where this machine has one)" };
        var command = new Command("submit", "Validate, expand and submit a sweep to a coordinator (an edited file becomes the sweep's next revision).") { file, profile };
        AddClientOptions(command, out var url, out var tokenFile);
        command.SetAction(async (result, ct) =>
        {
            var expanded = SweepFiles.LoadAndExpand(result.GetValue(file)!, result.GetValue(profile), Console.Error);
            if (expanded is not { } sweep)
            {
                return 1;
            }

            using var client = Client(result, url, tokenFile);
            var answer = await client.SubmitAsync(SweepSubmission.Build(sweep.Spec, sweep.Expansion), ct);
            Console.WriteLine($"sweep {answer.SweepId}: {answer.Summary}");
            return 0;
        });
        return command;
    }

    public static Command Status()
    {
        var sweep = new Argument<string?>("sweep") { Description = "Sweep id (default: list every sweep)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Sweeps and their trials: state, attempt, pending reason.") { sweep };
        AddClientOptions(command, out var url, out var tokenFile);
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(result, url, tokenFile);
            var id = result.GetValue(sweep);
            if (id is null)
            {
                var table = new CliTable("sweep", "name", "submitted", "revision", "trials") { NameColumns = new HashSet<int> { 0, 1 } };
                foreach (var s in await client.ListSweepsAsync(ct))
                {
                    table.AddRow(s.Id, s.Name, s.SubmittedAt.ToString("u", CultureInfo.InvariantCulture), s.Revision.ToString(CultureInfo.InvariantCulture),
                        string.Join(", ", s.TrialCounts.Select(c => $"{c.Value} {c.Key}")));
                }

                CliConsole.Write(table);
                return 0;
            }

            var detail = await client.GetSweepAsync(id, ct);
            var trials = new CliTable("trial", "configuration", "seed", "state", "attempt", "where / why")
            {
                Title = $"{detail.Sweep.Name} (revision {detail.Sweep.Revision}): {detail.Sweep.Question}",
                NameColumns = new HashSet<int> { 0, 1 },
            };
            foreach (var t in detail.Trials)
            {
                var where = t.State.ToString() is "Pending"
                    ? (t.PendingReason ?? string.Empty) + (t.QueueAhead is { } ahead ? $" ({ahead} of this sweep's trials ahead)" : string.Empty)
                    : t.Attempt?.SiloId ?? string.Empty;
                trials.AddRow(t.Id, t.ConfigName, t.Seed.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant(),
                    $"{t.CurrentAttempt}/{t.MaxAttempts}", where);
            }

            CliConsole.Write(trials);
            if (detail.RemovedTrials is { Count: > 0 } removed)
            {
                Console.WriteLine($"{removed.Count} trial(s) of earlier revisions are not in revision {detail.Sweep.Revision} (kept in the store): "
                    + string.Join(", ", removed.Select(t => $"{t.Id} ({t.ConfigName}, {t.State.ToString().ToLowerInvariant()}, removed in revision {t.RemovedInRevision})")));
            }

            return 0;
        });
        return command;
    }

    public static Command Cancel()
    {
        var sweep = new Argument<string>("sweep") { Description = "Sweep id" };
        var command = new Command("cancel", "Cancel a sweep's unfinished trials; running attempts are stopped.") { sweep };
        AddClientOptions(command, out var url, out var tokenFile);
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(result, url, tokenFile);
            var answer = await client.CancelAsync(result.GetValue(sweep)!, ct);
            Console.WriteLine($"cancelled {answer.Cancelled} trial(s)");
            return 0;
        });
        return command;
    }

    public static Command Report()
    {
        var sweep = new Argument<string>("sweep") { Description = "Sweep id (name.profile)" };
        var output = new Option<string?>("--out") { Description = "Directory for matrix.md/.csv/.json and report.html (default: reports/<sweep>)" };
        var command = new Command("report", "Write and print a sweep's test matrix.") { sweep, output };
        AddClientOptions(command, out var url, out var tokenFile);
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(result, url, tokenFile);
            var id = result.GetValue(sweep)!;
            var written = await ReportFetcher.WriteAsync(client, id, result.GetValue(output) ?? Path.Combine("reports", id), ct);
            foreach (var line in TerminalMatrix.Lines(written.Matrix, written.Directory, CliConsole.Capabilities.Width))
            {
                Console.WriteLine(line);
            }

            Console.WriteLine($"reports: {written.Directory} (matrix.md, matrix.csv, matrix.json, report.html)");
            return 0;
        });
        return command;
    }

    public static Command Logs()
    {
        var sweep = new Argument<string>("sweep") { Description = "Sweep id" };
        var trial = new Option<string?>("--trial") { Description = "Only this trial's events" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events" };
        var command = new Command("logs", "The sweep's event log: leases, attempts, failures, completions.") { sweep, trial, follow };
        AddClientOptions(command, out var url, out var tokenFile);
        command.SetAction(async (result, ct) =>
        {
            using var client = Client(result, url, tokenFile);
            long? after = null;
            do
            {
                var events = await client.GetEventsAsync(result.GetValue(sweep), result.GetValue(trial), after, 500, ct);
                foreach (var e in events)
                {
                    Console.WriteLine($"{e.At:u} {e.Kind,-20} {e.TrialId} {(e.Attempt is null ? string.Empty : $"#{e.Attempt}")} {e.Message}");
                    after = e.Id;
                }

                if (result.GetValue(follow))
                {
                    await Task.Delay(TimeSpan.FromSeconds(2), ct);
                }
            }
            while (result.GetValue(follow) && !ct.IsCancellationRequested);
            return 0;
        });
        return command;
    }

    private static void AddClientOptions(Command command, out Option<string?> url, out Option<string?> tokenFile)
    {
        url = new Option<string?>("--coordinator") { Description = $"Coordinator URL (default: ${CoordinatorVariable})" };
        tokenFile = new Option<string?>("--token-file") { Description = $"File holding the user token (default: ${UserTokenVariable})" };
        command.Options.Add(url);
        command.Options.Add(tokenFile);
    }

    private static UserClient Client(ParseResult result, Option<string?> url, Option<string?> tokenFile)
    {
        var address = result.GetValue(url) ?? Environment.GetEnvironmentVariable(CoordinatorVariable)
            ?? throw new UsageException($"--coordinator: give the coordinator's URL (or set {CoordinatorVariable})");
        if (!Uri.TryCreate(address.EndsWith('/') ? address : address + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--coordinator '{address}': give an http(s) URL, for example http://coordinator:8080");
        }

        var token = ReadToken(result.GetValue(tokenFile), "--token-file", UserTokenVariable)
            ?? throw new UsageException($"--token-file: give the user token (or set {UserTokenVariable})");
        return new UserClient(baseAddress, token);
    }

    /// <summary>A token from <paramref name="file"/> when given, else from <paramref name="variable"/>; null when neither has one.</summary>
    private static string? ReadToken(string? file, string fileOption, string variable)
    {
        string? token;
        try
        {
            token = file is not null ? File.ReadAllText(file) : Environment.GetEnvironmentVariable(variable);
        }
        catch (IOException e)
        {
            throw new UsageException($"{fileOption} '{file}': cannot read it ({e.Message})");
        }

        return string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }
}
