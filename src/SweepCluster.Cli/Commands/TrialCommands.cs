using System.CommandLine;
using System.Globalization;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Runtime;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Cli.Commands;

/// <summary>
/// One trial without a coordinator: <c>train</c> (the seeds' train.py), <c>diagnose</c> (diagnose.py),
/// and <c>trial-run</c>, the child process a silo starts per attempt (docs/trial-protocol.md).
/// </summary>
internal static class TrialCommands
{
    public static Command Train()
    {
        var config = new Option<string>("--config") { Description = "Trial config (sweeps/trials/*.yaml)", Required = true };
        var steps = new Option<int?>("--steps") { Description = "Stop after this many steps (default: the config's epochs)" };
        var epochs = new Option<int?>("--epochs") { Description = "Override trainer.epochs" };
        var output = new Option<string?>("--out") { Description = "Output directory (default: runs/<config name>)" };
        var resume = new Option<string?>("--resume") { Description = "Continue from this checkpoint file" };
        var command = new Command("train", "Train one trial and print a table per epoch; writes metrics, checkpoints and panels.")
        {
            config, steps, epochs, output, resume,
        };
        command.SetAction(async (result, ct) =>
        {
            var trial = LoadConfig(result.GetValue(config)!, result.GetValue(epochs));
            if (trial is null)
            {
                return 1;
            }

            var outDirectory = result.GetValue(output) ?? Path.Combine("runs", trial.Name);
            Console.WriteLine($"training {trial.Name} ({trial.Trainer.Mode}, {trial.Model.Architecture}, cross skips {trial.Trainer.CrossSkips}); output in {outDirectory}");
            var table = new EpochTableEvents(Console.Out);
            TrialSummary summary;
            try
            {
                summary = await TrialRunner.RunAsync(trial, outDirectory, result.GetValue(resume), table, result.GetValue(steps), ct);
            }
            catch (Exception e) when (e is TrialConfigException or NonFiniteStartException or InvalidDataException or TrainingDivergedException)
            {
                Console.Error.WriteLine($"{trial.Name}: {e.Message}");
                return 1;
            }

            PrintSummary(summary);
            return 0;
        });
        return command;
    }

    public static Command Diagnose()
    {
        var config = new Option<string>("--config") { Description = "Trial config (sweeps/trials/*.yaml)", Required = true };
        var steps = new Option<int>("--steps") { Description = "Training steps to watch", DefaultValueFactory = _ => 10 };
        var command = new Command("diagnose", "Watch a few training steps: shapes, z distance, recon and cross errors, gradient magnitudes.") { config, steps };
        command.SetAction(async (result, ct) =>
        {
            var trial = LoadConfig(result.GetValue(config)!, epochs: null);
            if (trial is null)
            {
                return 1;
            }

            return await Diagnostics.RunAsync(trial, result.GetValue(steps), Console.Out, ct) ? 0 : 3;
        });
        return command;
    }

    /// <summary>The exit code of a <c>trial-run</c> whose loss became NaN or infinite (after its <c>diverged</c> event).</summary>
    public const int DivergedExitCode = 3;

    public static Command TrialRun()
    {
        var config = new Option<string>("--config") { Description = "The resolved trial config (JSON)", Required = true };
        var output = new Option<string>("--out") { Description = "The attempt directory", Required = true };
        var resume = new Option<string?>("--resume") { Description = "Checkpoint to resume from" };
        var device = new Option<string?>("--device") { Description = "cpu or cuda:N (a silo pins one GPU per attempt)" };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for this attempt" };
        var command = new Command("trial-run", "Run one attempt as a silo's child process: JSON-lines events on stdout.") { config, output, resume, device, threads };
        command.Hidden = true;
        command.SetAction(async (result, ct) =>
        {
            TrialConfig trial;
            try
            {
                trial = TrialConfig.Load(result.GetValue(config)!);
            }
            catch (TrialConfigException e)
            {
                foreach (var error in e.Errors)
                {
                    Console.Error.WriteLine(error);
                }

                return 2;
            }

            if (result.GetValue(threads) is { } t)
            {
                trial = trial with { Threads = t };
            }

            if (result.GetValue(device) is { } d)
            {
                // The silo sets CUDA_VISIBLE_DEVICES, so the attempt's GPU is always device 0 inside the child.
                trial = trial with { Device = d.StartsWith("cuda", StringComparison.Ordinal) ? DeviceKind.Cuda : DeviceKind.Cpu };
            }

            var events = new JsonLinesTrialEvents(Console.Out);
            var watched = ParentWatch.Start(ct);
            try
            {
                await TrialRunner.RunAsync(trial, result.GetValue(output)!, result.GetValue(resume), events, maxSteps: null, watched);
            }
            catch (OperationCanceledException) when (watched.IsCancellationRequested)
            {
                return 143;
            }
            catch (TrainingDivergedException e)
            {
                // The diverged event on standard output is what the silo acts on; this line is for a reader of the log.
                Console.Error.WriteLine(e.Message);
                return DivergedExitCode;
            }
            catch (Exception e) when (e is TrialConfigException or NonFiniteStartException or InvalidDataException)
            {
                // The silo reports the last lines of standard error as the attempt's failure: one line, no stack.
                Console.Error.WriteLine(e.Message);
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static TrialConfig? LoadConfig(string path, int? epochs)
    {
        try
        {
            var config = TrialConfig.Load(path);
            return epochs is { } e ? config with { Trainer = config.Trainer with { Epochs = e } } : config;
        }
        catch (TrialConfigException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine(error);
            }

            Console.Error.WriteLine($"{e.Errors.Count} problem(s) in {path}; nothing was run.");
            return null;
        }
        catch (FileNotFoundException)
        {
            Console.Error.WriteLine($"{path}: no such file");
            return null;
        }
    }

    private static void PrintSummary(TrialSummary summary)
    {
        Console.WriteLine();
        Console.WriteLine(summary.Supervised ? "summary (supervised reference: trained against clean targets)" : "summary");
        foreach (var (name, value) in summary.Scalars.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-18} {value:G5}"));
        }
    }

    /// <summary>Prints the per-epoch table as epochs complete.</summary>
    private sealed class EpochTableEvents(TextWriter output) : ITrialEvents
    {
        private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);
        private int _epoch;
        private bool _headerWritten;

        public void Progress(int epoch, int epochs, long step, long steps, double? etaSeconds)
        {
            if (epoch != _epoch)
            {
                Flush();
                _epoch = epoch;
            }
        }

        public void Metric(long step, int epoch, string name, double value, MetricKind kind)
        {
            if (kind != MetricKind.Step)
            {
                _values[name] = value;
            }
        }

        public void Checkpoint(string path, long step, int epoch)
        {
        }

        public void Artifact(string path, ArtifactKind kind, string name)
        {
        }

        public void Summary(TrialSummary summary) => Flush();

        // The command prints the exception's message, which says the same.
        public void Diverged(long step, int epoch, string name, double value)
        {
        }

        private void Flush()
        {
            if (_epoch == 0 || _values.Count == 0)
            {
                return;
            }

            if (!_headerWritten)
            {
                output.WriteLine(EpochTable.Header());
                _headerWritten = true;
            }

            output.WriteLine(EpochTable.Row(_epoch, _values));
            _values.Clear();
        }
    }
}
