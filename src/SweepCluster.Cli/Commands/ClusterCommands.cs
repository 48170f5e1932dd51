using System.CommandLine;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using SweepCluster.Cli.Output;
using SweepCluster.Cluster;
using SweepCluster.Cluster.Hosting;
using SweepCluster.Cluster.Silos;
using SweepCluster.Cluster.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using SweepCluster.Coordinator;
using SweepCluster.Silo;
using SweepCluster.Silo.Processes;

namespace SweepCluster.Cli.Commands;

/// <summary>The cluster: <c>coordinator</c> and <c>silo</c> services, and the client commands against them.</summary>
internal static class ClusterCommands
{
    private const string CoordinatorVariable = "SWEEPCLUSTER_COORDINATOR";
    private const string UserTokenVariable = "SWEEPCLUSTER_USER_TOKEN";

    /// <summary>The token a silo's own /metrics requires (the chart sets it to the user token).</summary>
    public const string MetricsTokenVariable = "SWEEPCLUSTER_METRICS_TOKEN";

    public static Command Coordinator()
    {
        var store = new Option<string?>("--store") { Description = "postgres://user:pass@host:port/db: the cluster's database (default: $SWEEPCLUSTER_STORE)" };
        var listen = new Option<string>("--listen") { Description = "Listen URL of the HTTP API", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var userTokenFile = new Option<string?>("--user-token-file") { Description = $"File holding the user token (else ${UserTokenVariable})" };
        var orleans = OrleansOptions.Add(defaultSiloPort: 11111, defaultGatewayPort: 30000);
        var command = new Command("coordinator", "Run the cluster's coordinator silo: the HTTP API and the scheduler, no trainer slots, on PostgreSQL.")
        {
            store, listen, userTokenFile,
        };
        orleans.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (ClusterStore(result.GetValue(store)) is not { } location)
            {
                return 2;
            }

            var endpoints = orleans.Read(result);
            await using var opened = (IAsyncDisposable)await TrialStoreFactory.OpenAsync(location, TimeProvider.System, ct);
            var app = CoordinatorHost.Build(new CoordinatorHostOptions
            {
                Store = (ITrialStore)opened,
                Urls = result.GetValue(listen)!,
                UserTokenFile = result.GetValue(userTokenFile),
                ConfigureSilo = silo => endpoints.Configure(silo, location, info: null),
                ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Information).AddFilter("Orleans", LogLevel.Warning),
            });
            Console.WriteLine($"coordinator on {result.GetValue(listen)}, {endpoints.Summary}, store {PostgresConnectionString.Redact(location)}");
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
        var store = new Option<string?>("--store") { Description = "postgres://user:pass@host:port/db: the cluster's database (default: $SWEEPCLUSTER_STORE)" };
        var name = new Option<string?>("--name") { Description = "Name in logs and metrics (default: the host name)" };
        var workDir = new Option<string>("--work-dir") { Description = "Where attempts run", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "sweepcluster-silo") };
        var cpuSlots = new Option<int?>("--cpu-slots") { Description = "Offer N CPU slots instead of the GPUs" };
        var threads = new Option<int?>("--threads") { Description = "Threads per CPU slot" };
        var labels = new Option<string[]>("--label") { Description = "key=value label (repeatable)", AllowMultipleArgumentsPerToken = true };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = $"host:port for this silo's /metrics (needs a token: ${MetricsTokenVariable} or --metrics-token-file)" };
        var metricsTokenFile = new Option<string?>("--metrics-token-file") { Description = $"File holding the token /metrics requires (else ${MetricsTokenVariable})" };
        var orleans = OrleansOptions.Add(defaultSiloPort: 11112, defaultGatewayPort: 0);
        var command = new Command("silo", "Run a trainer silo: join the cluster through PostgreSQL, offer this machine's GPUs (or CPU slots) and run the attempts placed on it.")
        {
            store, name, workDir, cpuSlots, threads, labels, metricsListen, metricsTokenFile,
        };
        orleans.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            if (ClusterStore(result.GetValue(store)) is not { } location)
            {
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

            var (slots, perSlot, slotText) = SlotPlanner.Plan(result.GetValue(cpuSlots), result.GetValue(threads));
            var siloName = result.GetValue(name) ?? Environment.MachineName;
            var metricsToken = ReadToken(result.GetValue(metricsTokenFile), "--metrics-token-file", MetricsTokenVariable);
            var endpoints = orleans.Read(result);
            var metricsUrl = SiloMetrics.Url(result.GetValue(metricsListen), metricsToken);
            await using var opened = (IAsyncDisposable)await TrialStoreFactory.OpenAsync(location, TimeProvider.System, ct);
            var runner = new SiloOptions
            {
                SiloId = siloName,
                Labels = parsedLabels,
                Slots = slots,
                WorkDirectory = result.GetValue(workDir)!,
                ThreadsPerCpuSlot = perSlot,
                Log = line => Console.WriteLine($"{DateTimeOffset.UtcNow:O} {line}"),
            };
            using var host = TrainerSiloHost.Build(new TrainerSiloHostOptions
            {
                MetricsUrl = metricsUrl,
                MetricsToken = metricsToken,
                ConfigureLogging = logging => logging.SetMinimumLevel(LogLevel.Information).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning),
                ConfigureSilo = silo =>
                {
                    silo.Services.AddSweepClusterGrains(_ => (ITrialStore)opened);
                    endpoints.Configure(silo, location, SweepClusterRunner.Describe(runner))
                        .AddSweepClusterRunner(runner, new CommandTrialProcessLauncher(LocalCluster.SelfCommand()));
                },
            });
            await host.StartAsync(ct);
            if (TrainerSiloHost.GetMetricsAddress(host) is { } metricsAddress)
            {
                Console.WriteLine($"silo {siloName}: /metrics on {metricsAddress.Host}:{metricsAddress.Port}");
            }

            Console.WriteLine($"silo {siloName}: {slotText}; {endpoints.Summary}; store {PostgresConnectionString.Redact(location)}");
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM: the runner stops its children and reports their attempts before the silo leaves.
            }

            await host.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }

    /// <summary>The cluster's PostgreSQL location, or null after saying why there is none.</summary>
    private static string? ClusterStore(string? given)
    {
        var location = given ?? Environment.GetEnvironmentVariable("SWEEPCLUSTER_STORE");
        if (string.IsNullOrWhiteSpace(location))
        {
            Console.Error.WriteLine("--store: give postgres://user:pass@host:port/db (or set SWEEPCLUSTER_STORE)");
            return null;
        }

        if (!location.StartsWith("postgres://", StringComparison.Ordinal) && !location.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"--store {PostgresConnectionString.Redact(location)}: a cluster shares its membership and grain state through PostgreSQL; "
                + "give postgres://user:pass@host:port/db (to run on this machine alone, use `sweepcluster run FILE`)");
            return null;
        }

        return location;
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
                    : t.State.ToString() is "Pruned" ? t.StopReason ?? "pruned"
                    : t.Attempt?.SiloId ?? string.Empty;
                trials.AddRow(t.Id, t.ConfigName, t.Seed.ToString(CultureInfo.InvariantCulture), t.State.ToString().ToLowerInvariant(),
                    $"{t.CurrentAttempt}/{t.MaxAttempts}", where);
            }

            CliConsole.Write(trials);
            var pruned = detail.Trials.Count(t => t.State.ToString() is "Pruned");
            if (pruned > 0)
            {
                Console.WriteLine($"{pruned} of {detail.Trials.Count} trial(s) pruned by the sweep's early stopping (reasons above); their checkpoints and metrics are kept");
            }

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
        var command = new Command("logs", "The sweep's event log: placements, attempts, failures, completions.") { sweep, trial, follow };
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
