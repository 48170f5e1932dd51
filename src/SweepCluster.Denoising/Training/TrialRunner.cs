using System.Diagnostics;
using System.Globalization;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;
using System.Runtime.InteropServices;
using SweepCluster.Denoising.Rendering;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchDevice = TorchSharp.torch.Device;

namespace SweepCluster.Denoising.Training;

/// <summary>
/// Runs one trial end to end (what <c>sweepcluster trial-run</c> and <c>train</c> call): trains, evaluates each
/// epoch, checkpoints, draws panels and reports everything through <see cref="ITrialEvents"/>. Files it writes
/// under the output directory: <c>checkpoints/step-NNNNNNNN.pt</c> (each resumable checkpoint, in <c>torch.save</c>
/// format, the newest three kept), <c>checkpoint.pt</c> (a copy of the latest),
/// <c>model.pt</c> (the final weights as a PyTorch state dict), <c>metrics.jsonl</c> (every
/// metric point as a JSON line, appended across resumes), <c>panels/panel_N.png</c> and <c>summary.json</c>.
/// Metric names are the protocol's; epoch means carry the prefix <c>epoch.</c> (<c>epoch.loss.cross</c>) because
/// they are reported at the epoch's last step, where the step's own point already holds the plain name.
/// The first step whose loss is NaN or infinite ends the run with <see cref="TrainingDivergedException"/> (after its
/// points and a <see cref="ITrialEvents.Diverged"/> event); only a non-finite first step, where the weights are
/// still the initial ones, is <see cref="Runtime.NonFiniteStartException"/> instead.
/// </summary>
public static class TrialRunner
{
    public const string CheckpointFileName = "checkpoint.pt";

    /// <summary>Where each checkpoint is written first, one file per checkpoint (<see cref="StepCheckpointPath"/>).</summary>
    public const string StepCheckpointDirectory = "checkpoints";

    /// <summary>Step checkpoint files kept; older ones are deleted once a new one is written.</summary>
    public const int KeptStepCheckpoints = 3;
    public const string WeightsFileName = "model.pt";
    public const string MetricsFileName = "metrics.jsonl";
    public const string SummaryFileName = "summary.json";

    /// <summary>Seconds one training step took (wall clock).</summary>
    public const string TimeStepMetric = "time.step_s";

    /// <summary>Bytes this attempt's process holds on its GPU (CUDA only).</summary>
    public const string GpuMemoryMetric = "gpu.memory_allocated_bytes";

    private static readonly TimeSpan GpuMemoryInterval = TimeSpan.FromSeconds(10);

    /// <summary>Runs the trial and returns its summary (also sent as the last event).</summary>
    /// <param name="resumeCheckpoint">A checkpoint of the same configuration to continue from, or null to start fresh.</param>
    /// <param name="maxSteps">Stop once this many global steps have run (checkpointing and summarising there); null for all.</param>
    public static Task<TrialSummary> RunAsync(
        TrialConfig config,
        string outDirectory,
        string? resumeCheckpoint,
        ITrialEvents events,
        int? maxSteps,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(outDirectory);
        ArgumentNullException.ThrowIfNull(events);

        // libtorch's grad mode and the dispose scopes are per thread: the whole run stays on one worker thread.
        return Task.Factory.StartNew(
            () => Run(config, outDirectory, resumeCheckpoint, events, maxSteps, ct),
            ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>The device of <c>device</c>: <c>auto</c> is CUDA when available, else the CPU.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for but is not available.</exception>
    public static TorchDevice ResolveDevice(DeviceKind kind) => kind switch
    {
        DeviceKind.Cpu => torch.CPU,
        DeviceKind.Cuda => CudaDevices.IsAvailable ? torch.CUDA : throw new InvalidOperationException("device: cuda was requested but CUDA is not available (the CPU build of TorchSharp, or no GPU)."),
        _ => CudaDevices.IsAvailable ? torch.CUDA : torch.CPU,
    };

    /// <summary>
    /// The configuration keys that decide the networks' tensor shapes: where libtorch refuses an operation that
    /// validation let through, one of these is the cause.
    /// </summary>
    public static readonly IReadOnlyList<string> ShapeKeys =
    [
        "data.image_size", "data.batch_size", "model.encoder.features", "model.encoder.latent_channels",
        "model.decoder_a.features", "model.decoder_b.features", "model.decoder_a.latent_channels",
        "model.decoder_b.latent_channels", "model.noise_channels", "model.skip_mode", "model.architecture",
        "model.discriminator.features", "model.complex",
    ];

    private static TrialSummary Run(TrialConfig config, string outDirectory, string? resumeCheckpoint, ITrialEvents events, int? maxSteps, CancellationToken ct)
    {
        try
        {
            return RunTrial(config, outDirectory, resumeCheckpoint, events, maxSteps, ct);
        }
        catch (ExternalException e)
        {
            // libtorch's message starts with its own one-line reason; its C++ backtrace follows and helps nobody here.
            var reason = e.Message.Split('\n', 2)[0].Trim();
            throw new TrialConfigException(
                $"libtorch could not run this configuration: {reason}. Check the keys that shape the networks: {string.Join(", ", ShapeKeys)}.", e);
        }
    }

    private static TrialSummary RunTrial(TrialConfig config, string outDirectory, string? resumeCheckpoint, ITrialEvents events, int? maxSteps, CancellationToken ct)
    {
        Directory.CreateDirectory(outDirectory);
        var (train, validation) = PairedDatasets.Create(config.Data);
        using var trainer = new C2CTrainer(config, train, ResolveDevice(config.Device));
        if (resumeCheckpoint is not null)
        {
            trainer.LoadCheckpoint(resumeCheckpoint);
        }

        using var metricsFile = new StreamWriter(Path.Combine(outDirectory, MetricsFileName), append: true);
        var metricsSink = new JsonLinesTrialEvents(metricsFile);
        void Metric(long step, int epoch, string name, double value, MetricKind kind)
        {
            events.Metric(step, epoch, name, value, kind);
            metricsSink.Metric(step, epoch, name, value, kind);
        }

        var clock = Stopwatch.StartNew();
        var startStep = trainer.GlobalStep;
        var epochs = config.Trainer.Epochs;
        EvaluationResult? evaluation = null;
        var checkpointedAt = -1L;
        TimeSpan? gpuMemorySampledAt = null;
        while (!trainer.IsFinished && (maxSteps is null || trainer.GlobalStep < maxSteps))
        {
            ct.ThrowIfCancellationRequested();
            var stepStarted = clock.Elapsed;
            var result = trainer.RunNextStep();
            var stepSeconds = (clock.Elapsed - stepStarted).TotalSeconds;
            foreach (var (name, value) in result.Metrics)
            {
                Metric(result.Step, result.Epoch, name, value, MetricKind.Step);
            }

            // Wall-clock facts of the step, outside the trainer's deterministic metrics: the silo turns them into
            // the step-duration histogram and the GPU memory gauge.
            Metric(result.Step, result.Epoch, TimeStepMetric, stepSeconds, MetricKind.Step);
            if (TrainingDivergedException.FirstNonFiniteLoss(result.Metrics) is { } diverged)
            {
                // Training on would only carry NaN forward, and so would a retry: stop here, with the point reported.
                events.Diverged(result.Step, result.Epoch, diverged.Key, diverged.Value);
                throw new TrainingDivergedException(result.Step, diverged.Key, diverged.Value);
            }

            if (trainer.Device.type == DeviceType.CUDA && (gpuMemorySampledAt is null || clock.Elapsed - gpuMemorySampledAt > GpuMemoryInterval))
            {
                // TorchSharp has no allocator statistics: nvidia-smi's figure for this process, a few times a minute.
                gpuMemorySampledAt = clock.Elapsed;
                Metric(result.Step, result.Epoch, GpuMemoryMetric, CudaDevices.ProcessMemoryBytes(), MetricKind.Step);
            }

            var perStep = clock.Elapsed.TotalSeconds / (result.Step - startStep);
            events.Progress(result.Epoch, epochs, result.Step, trainer.TotalSteps, perStep * (trainer.TotalSteps - result.Step));
            if (result.EpochMeans is null)
            {
                continue;
            }

            foreach (var (name, value) in result.EpochMeans)
            {
                Metric(result.Step, result.Epoch, "epoch." + name, value, MetricKind.Epoch);
            }

            evaluation = trainer.Evaluate(validation);
            ReportEvaluation(evaluation, result.Step, result.Epoch, Metric);
            if (result.Epoch % config.Trainer.CheckpointEveryEpochs == 0 || trainer.IsFinished)
            {
                WriteCheckpoint(trainer, outDirectory, clock, events);
                checkpointedAt = trainer.GlobalStep;
            }
        }

        if (checkpointedAt != trainer.GlobalStep)
        {
            WriteCheckpoint(trainer, outDirectory, clock, events);
        }

        if (evaluation is null)
        {
            evaluation = trainer.Evaluate(validation);
            ReportEvaluation(evaluation, trainer.GlobalStep, trainer.CurrentEpoch, Metric);
        }

        trainer.SaveWeights(Path.Combine(outDirectory, WeightsFileName));
        WritePanels(evaluation, config.Evaluation.Panels, outDirectory, events);
        metricsFile.Flush();
        events.Artifact(MetricsFileName, ArtifactKind.Metrics, MetricsFileName);
        // The references that need no training: measured on the same data the network saw and is judged on.
        var classical = ClassicalReference.Measure(train, validation);
        var noiseFloor = NoiseFloor.Measure(train, config.Trainer.Loss, config.Model.Complex);
        var summary = SummaryBuilder.Build(
            trainer.EpochHistory,
            evaluation,
            config.Evaluation.TrendEpochs,
            config.Trainer.Mode,
            trainer.StepsPerEpoch,
            trainer.PriorSeconds + clock.Elapsed.TotalSeconds,
            trainer.GlobalStep,
            classical,
            noiseFloor);
        File.WriteAllText(Path.Combine(outDirectory, SummaryFileName), summary.ToJson());
        events.Summary(summary);
        return summary;
    }

    private static void ReportEvaluation(EvaluationResult evaluation, long step, int epoch, Action<long, int, string, double, MetricKind> metric)
    {
        foreach (var (output, m) in evaluation.Outputs)
        {
            metric(step, epoch, $"eval.{output}.psnr", m.Psnr, MetricKind.Eval);
            metric(step, epoch, $"eval.{output}.ssim", m.Ssim, MetricKind.Eval);
            metric(step, epoch, $"eval.{output}.nmse", m.Nmse, MetricKind.Eval);
            metric(step, epoch, $"eval.{output}.leakage.noise_a", m.LeakageNoiseA, MetricKind.Eval);
            metric(step, epoch, $"eval.{output}.leakage.noise_b", m.LeakageNoiseB, MetricKind.Eval);
        }

        if (evaluation.Outputs.TryGetValue("x_a_from_b", out var aFromB) && evaluation.Outputs.TryGetValue("x_b_from_a", out var bFromA))
        {
            // The objective's own figure every epoch, so a sweep's early stopping can follow it (the summary's psnr_cross).
            metric(step, epoch, EpochMetrics.PsnrCross, (aFromB.Psnr + bFromA.Psnr) / 2, MetricKind.Eval);
            metric(step, epoch, EpochMetrics.SsimCross, (aFromB.Ssim + bFromA.Ssim) / 2, MetricKind.Eval);
        }

        metric(step, epoch, "eval.z_distance", evaluation.ZDistance, MetricKind.Eval);
    }

    /// <summary>
    /// Writes the checkpoint to its own file, <c>checkpoints/step-NNNNNNNN.pt</c>, which is never rewritten: the event
    /// names that file, and its reader (a silo, which reads the event when it gets to it, possibly epochs later) gets the
    /// state of the step the event names. <c>checkpoint.pt</c> is then replaced by a copy (the latest, for a resume by
    /// hand), and only the newest <see cref="KeptStepCheckpoints"/> step files are kept.
    /// </summary>
    private static void WriteCheckpoint(C2CTrainer trainer, string outDirectory, Stopwatch clock, ITrialEvents events)
    {
        var relative = StepCheckpointPath(trainer.GlobalStep);
        var path = Path.Combine(outDirectory, relative);
        trainer.SaveCheckpoint(path, clock.Elapsed.TotalSeconds);
        var latest = Path.Combine(outDirectory, CheckpointFileName);
        File.Copy(path, latest + ".tmp", overwrite: true);
        File.Move(latest + ".tmp", latest, overwrite: true);
        foreach (var old in Directory.GetFiles(Path.GetDirectoryName(path)!, "step-*.pt").Order(StringComparer.Ordinal).SkipLast(KeptStepCheckpoints))
        {
            File.Delete(old);
        }

        // The epoch of the last step taken (the checkpoint's place), not the one the next step will start.
        var epoch = (int)Math.Max(1, ((trainer.GlobalStep - 1) / trainer.StepsPerEpoch) + 1);
        events.Checkpoint(relative, trainer.GlobalStep, epoch);
    }

    /// <summary>The file, relative to the output directory, that holds the checkpoint of <paramref name="step"/>.</summary>
    public static string StepCheckpointPath(long step) =>
        Path.Combine(StepCheckpointDirectory, string.Create(CultureInfo.InvariantCulture, $"step-{step:D8}.pt"));

    /// <summary>
    /// One PNG per fixed validation sample (the first <paramref name="count"/>), first channel (the magnitude of
    /// [real, imag] images): noisy and clean inputs, both reconstructions, both cross outputs and the cross outputs'
    /// errors against clean (x5).
    /// </summary>
    private static void WritePanels(EvaluationResult evaluation, int count, string outDirectory, ITrialEvents events)
    {
        var (h, w) = (evaluation.Height, evaluation.Width);
        var plane = h * w;
        for (var i = 0; i < Math.Min(count, evaluation.Images.Count); i++)
        {
            var images = evaluation.Images[i];
            float[] First(string name) => ComplexImages.IsComplex(evaluation.Channels)
                ? ComplexImages.Magnitude(images[name])
                : images[name].AsSpan(0, plane).ToArray();
            var tiles = new List<PanelTile>
            {
                PanelTile.Image("noisy a", First("noisy_a"), h, w),
                PanelTile.Image("noisy b", First("noisy_b"), h, w),
            };
            var hasClean = images.ContainsKey("clean_a") && images.ContainsKey("clean_b");
            if (hasClean)
            {
                tiles.Add(PanelTile.Image("clean a", First("clean_a"), h, w));
                tiles.Add(PanelTile.Image("clean b", First("clean_b"), h, w));
            }

            tiles.Add(PanelTile.Image("a recon", First("x_a_recon"), h, w));
            tiles.Add(PanelTile.Image("b recon", First("x_b_recon"), h, w));
            tiles.Add(PanelTile.Image("a from b", First("x_a_from_b"), h, w));
            tiles.Add(PanelTile.Image("b from a", First("x_b_from_a"), h, w));
            if (hasClean)
            {
                tiles.Add(PanelTile.Error("err a from b", First("x_a_from_b"), First("clean_a"), h, w));
                tiles.Add(PanelTile.Error("err b from a", First("x_b_from_a"), First("clean_b"), h, w));
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"panel_{i}.png");
            var relative = Path.Combine("panels", name);
            Directory.CreateDirectory(Path.Combine(outDirectory, "panels"));
            PanelRenderer.SavePng(Path.Combine(outDirectory, relative), tiles, hasClean ? 4 : 3);
            events.Artifact(relative, ArtifactKind.Panel, name);
        }
    }
}
