using System.CommandLine;
using SweepCluster.Cli.Commands;
using SweepCluster.Telemetry;

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
// Metrics and traces leave by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the service named after the command).
using var otlp = TelemetrySetup.AddOtlpIfConfigured("sweepcluster-" + (args.Length > 0 ? args[0] : "cli"));
return await root.Parse(args).InvokeAsync();
