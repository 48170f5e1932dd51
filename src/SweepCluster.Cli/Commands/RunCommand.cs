using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using SweepCluster.Cli.Output;
using SweepCluster.Sweeps;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// <c>sweepcluster run FILE</c>: the embedded default. Runs the sweep to the end on this machine,
/// shows live progress and prints the test matrix. Running it again resumes; running an edited file
/// again makes it the sweep's next revision (docs/sweep-file.md, "Submitting a sweep again").
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The sweep file (sweeps/*.yaml)" };
        var profile = new Option<string?>("--profile") { Description = "Profile to run (default: the sweep's; gpu where a GPU exists)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the expanded trials and their count; change nothing" };
        var state = new Option<string>("--state") { Description = "State directory (store, attempts, reports)", DefaultValueFactory = _ => ".sweepcluster" };
        var slots = new Option<int?>("--cpu-slots") { Description = "CPU slots (default: one per core up to 4 cores, then 4, and one per 4 cores past 16)" };
        var threads = new Option<int?>("--threads") { Description = "Threads per CPU slot (default: cores / slots)" };
        var command = new Command("run", "Run a sweep on this machine: coordinator, local silo and SQLite store in one process.")
        {
            file, profile, dryRun, state, slots, threads,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var expanded = SweepFiles.LoadAndExpand(result.GetValue(file)!, result.GetValue(profile), Console.Error);
            if (expanded is not { } sweep)
            {
                return Task.FromResult(1);
            }

            if (result.GetValue(dryRun))
            {
                PrintTrials(sweep.Spec, sweep.Expansion);
                return Task.FromResult(0);
            }

            return RunReportingErrorsAsync(sweep.Spec, sweep.Expansion, Path.GetFullPath(result.GetValue(state)!), result.GetValue(slots), result.GetValue(threads), cancellationToken);
        });
        return command;
    }

    internal static void PrintTrials(SweepSpec spec, SweepExpansion expansion)
    {
        var table = new CliTable("#", "trial", "configuration", "seed", "parameters", "expected")
        {
            Title = $"{spec.Name}: profile {expansion.Profile ?? "(none)"}",
            NameColumns = new HashSet<int> { 1, 2 },
        };
        foreach (var t in expansion.Trials)
        {
            table.AddRow(
                (t.Order + 1).ToString(CultureInfo.InvariantCulture),
                t.Id,
                t.ConfigName,
                t.Seed.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", t.Parameters.Select(p => $"{p.Key}={p.Value?.ToJsonString()}")),
                t.Expect?.Text ?? string.Empty);
        }

        CliConsole.Write(table);
        foreach (var note in expansion.Notes)
        {
            Console.WriteLine($"note: {note}");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{expansion.Trials.Count} trials ({expansion.Skipped} combinations skipped by conditions); nothing was run."));
    }

    private static async Task<int> RunReportingErrorsAsync(SweepSpec spec, SweepExpansion expansion, string stateDirectory, int? cpuSlots, int? threads, CancellationToken cancellationToken)
    {
        try
        {
            return await RunAsync(spec, expansion, stateDirectory, cpuSlots, threads, cancellationToken);
        }
        catch (CoordinatorException e)
        {
            // A refusal is the user's to read, not a stack trace.
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(SweepSpec spec, SweepExpansion expansion, string stateDirectory, int? cpuSlots, int? threads, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (slots, perSlot, slotText) = SlotPlanner.Plan(cpuSlots, threads);
        var logPath = Path.Combine(stateDirectory, "silo.log");
        Directory.CreateDirectory(stateDirectory);
        await using var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var logLock = new Lock();
        void Log(string line)
        {
            lock (logLock)
            {
                log.WriteLine($"{DateTimeOffset.UtcNow:O} {line}");
            }
        }

        var sweepId = SweepSubmission.SweepId(spec, expansion.Profile);
        Console.WriteLine($"sweep {sweepId}: {expansion.Trials.Count} trials; {slotText}; state in {stateDirectory}");
        await using var cluster = await LocalCluster.StartAsync(stateDirectory, sweepId, slots, perSlot, Log, cancellationToken);
        using var client = new UserClient(cluster.Address, cluster.UserToken);
        // Loopback only, with this run's own token, as Jupyter prints its link: opening it signs the browser in.
        Console.WriteLine($"web page: {new Uri(cluster.Address, "/")}?token={cluster.UserToken}");
        var submitted = await client.SubmitAsync(SweepSubmission.Build(spec, expansion), cancellationToken);
        // New, resumed, or a new revision of an edited file (trials added, removed, kept): said before anything runs.
        Console.WriteLine($"sweep {sweepId}: {submitted.Summary}");

        var view = new ProgressView(cluster.Runner, client, sweepId, TimeProvider.System);
        var finished = await view.RunUntilDoneAsync(cancellationToken);
        if (!finished)
        {
            Console.WriteLine("interrupted: the state is saved; run the same command again to resume (finished trials are not re-run).");
            return 130;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var report = await ReportFetcher.WriteAsync(client, sweepId, Path.Combine(stateDirectory, "reports", sweepId), cancellationToken);
        Console.WriteLine();
        foreach (var line in TerminalMatrix.Lines(report.Matrix, report.Directory, CliConsole.Capabilities.Width))
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"reports: {report.Directory} (matrix.md, matrix.csv, matrix.json, report.html)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sweep finished in {elapsed.TotalMinutes:F1} min"));
        return report.AllFinished ? 0 : 2;
    }
}
