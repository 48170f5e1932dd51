using System.CommandLine;
using SweepCluster.Cli.Commands;

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
return await root.Parse(args).InvokeAsync();
