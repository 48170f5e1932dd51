using System.CommandLine;
using System.Globalization;

namespace SweepCluster.Cli.Commands;

/// <summary><c>sweepcluster validate FILE</c>: every problem of a sweep file, at once, or its trial count.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The sweep file (sweeps/*.yaml)" };
        var profile = new Option<string?>("--profile") { Description = "The profile to expand with (default: the sweep's, gpu where a GPU exists)" };
        var command = new Command("validate", "Check a sweep file and expand it; changes nothing.") { file, profile };
        command.SetAction(result =>
        {
            var loaded = SweepFiles.LoadAndExpand(result.GetValue(file)!, result.GetValue(profile), Console.Error);
            if (loaded is not { } ok)
            {
                return 1;
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{ok.Spec.File}: valid; profile {ok.Expansion.Profile ?? "(none)"}: {ok.Expansion.Trials.Count} trials in {ok.Expansion.Trials.Select(t => t.ConfigKey).Distinct().Count()} configurations"));
            return 0;
        });
        return command;
    }
}
