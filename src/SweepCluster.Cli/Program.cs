using System.CommandLine;
using Spectre.Console;
using SweepCluster.Cli;
using SweepCluster.Cli.Commands;
using SweepCluster.Cli.Output;

// Whatever writes through Spectre writes with this process's capabilities (ConsoleCapabilities), not Spectre's guesses.
AnsiConsole.Console = CliConsole.Out;
var root = new RootCommand("SweepCluster: ablation sweeps of the Contrast2Contrast MRI denoiser, answered with a measured test matrix.")
{
    DoctorCommand.Create(),
    ValidateCommand.Create(),
    RunCommand.Create(),
    TrialCommands.Train(),
    TrialCommands.Diagnose(),
    TrialCommands.TrialRun(),
    ClusterCommands.Coordinator(),
    ClusterCommands.Silo(),
    ClusterCommands.Submit(),
    ClusterCommands.Status(),
    ClusterCommands.Cancel(),
    ClusterCommands.Report(),
    ClusterCommands.Logs(),
};
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (UsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
catch (HttpRequestException e)
{
    // A client command (submit, status, cancel, report, logs) that found no coordinator.
    Console.Error.WriteLine($"could not reach the coordinator: {e.Message}; check --coordinator (or SWEEPCLUSTER_COORDINATOR) and that it runs");
    return 1;
}
catch (OperationCanceledException)
{
    // Ctrl-C (or SIGTERM) during a command that had nothing to save.
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"Unhandled exception: {e}");
    return 1;
}
