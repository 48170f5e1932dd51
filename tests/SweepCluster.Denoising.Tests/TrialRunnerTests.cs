using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Integration")]
public sealed class TrialRunnerTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public async Task Supervised_reference_clearly_beats_the_noisy_input_after_a_short_cpu_run()
    {
        var config = TinyConfig.Create(
            ("trainer.mode", "supervised"),
            ("data.image_size", 32),
            ("data.train_samples", 32),
            ("data.val_samples", 8),
            ("data.batch_size", 8),
            ("data.noise.sigma_a", 0.1),
            ("data.noise.sigma_b", 0.1),
            ("model.encoder.features", new JsonArray(8, 16)),
            ("model.encoder.latent_channels", 16),
            ("model.decoder_a.features", new JsonArray(16, 8)),
            ("model.decoder_a.latent_channels", 16),
            ("model.decoder_b.features", new JsonArray(16, 8)),
            ("model.decoder_b.latent_channels", 16),
            ("model.identity", true),
            ("trainer.epochs", 25),
            ("trainer.lr", 0.003),
            ("threads", 2));
        using var temp = new TempDirectory();
        var events = new RecordingTrialEvents();
        var clock = Stopwatch.StartNew();
        var summary = await TrialRunner.RunAsync(config, temp.Path, null, events, null, CancellationToken.None);
        clock.Stop();

        Assert.True(summary.Supervised);
        var gain = summary.Scalars["psnr_recon"] - summary.Scalars["psnr_noisy"];
        Assert.True(gain > 3, $"supervised PSNR {summary.Scalars["psnr_recon"]:0.00} dB vs noisy {summary.Scalars["psnr_noisy"]:0.00} dB after {clock.Elapsed.TotalSeconds:0} s");
        Assert.Equal(100, summary.Scalars["steps"]);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Supervised_cross_reference_clearly_beats_the_noisy_input_in_cross_psnr_after_a_short_cpu_run()
    {
        var config = TinyConfig.Create(
            ("trainer.mode", "supervised_cross"),
            ("data.image_size", 32),
            ("data.train_samples", 32),
            ("data.val_samples", 8),
            ("data.batch_size", 8),
            ("data.noise.sigma_a", 0.1),
            ("data.noise.sigma_b", 0.1),
            ("model.encoder.features", new JsonArray(8, 16)),
            ("model.encoder.latent_channels", 16),
            ("model.decoder_a.features", new JsonArray(16, 8)),
            ("model.decoder_a.latent_channels", 16),
            ("model.decoder_b.features", new JsonArray(16, 8)),
            ("model.decoder_b.latent_channels", 16),
            ("trainer.epochs", 25),
            ("trainer.lr", 0.003),
            ("threads", 2));
        using var temp = new TempDirectory();
        var clock = Stopwatch.StartNew();
        var summary = await TrialRunner.RunAsync(config, temp.Path, null, new RecordingTrialEvents(), null, CancellationToken.None);
        clock.Stop();

        Assert.True(summary.Supervised);
        var s = summary.Scalars;
        Assert.True(s["psnr_gain_cross"] > 3, $"supervised cross PSNR {s["psnr_cross"]:0.00} dB vs noisy {s["psnr_noisy"]:0.00} dB after {clock.Elapsed.TotalSeconds:0} s");

        // Its cross loss is against clean targets: the floor is 0 and the loss cannot be below it.
        Assert.Equal(0, s["noise_floor_cross"]);
        Assert.Equal(0, s["cross_below_floor"]);
    }

    [Fact]
    public async Task A_run_reports_protocol_events_writes_its_files_and_resumes_from_its_checkpoint()
    {
        var config = TinyConfig.Create(("trainer.epochs", 3), ("evaluation.panels", 2), ("trainer.checkpoint_every_epochs", 2));
        using var temp = new TempDirectory();
        var events = new RecordingTrialEvents();
        var partial = await TrialRunner.RunAsync(config, temp.Path, null, events, 3, CancellationToken.None);

        Assert.Equal(3, partial.Scalars["steps"]);
        Assert.Equal([(TrialRunner.StepCheckpointPath(3), 3L, 2)], events.Checkpoints); // max steps reached mid-epoch 2
        Assert.Contains(events.Metrics, m => m is { Name: "epoch.loss.cross", Kind: MetricKind.Epoch, Step: 2 });
        Assert.Contains(events.Metrics, m => m is { Name: "eval.x_a_from_b.leakage.noise_a", Kind: MetricKind.Eval });
        Assert.Equal(events.Metrics.Count, events.Metrics.Select(m => (m.Step, m.Name)).Distinct().Count());
        Assert.Equal([1L, 2L, 3L], events.ProgressEvents.Select(p => p.Step));

        var resumed = new RecordingTrialEvents();
        var summary = await TrialRunner.RunAsync(config, temp.Path, temp.File(TrialRunner.CheckpointFileName), resumed, null, CancellationToken.None);
        Assert.Equal([4L, 5L, 6L], resumed.ProgressEvents.Select(p => p.Step));
        Assert.Equal([(TrialRunner.StepCheckpointPath(4), 4L, 2), (TrialRunner.StepCheckpointPath(6), 6L, 3)], resumed.Checkpoints);
        Assert.Equal(File.ReadAllBytes(temp.File(TrialRunner.StepCheckpointPath(6))), File.ReadAllBytes(temp.File(TrialRunner.CheckpointFileName)));
        Assert.Single(resumed.Summaries);
        foreach (var key in new[] { "psnr_cross", "ssim_cross", "psnr_noisy", "psnr_gain_cross", "psnr_recon", "leakage_cross", "leakage_recon", "cross_loss_final", "cross_slope", "cross_going_down", "z_distance", "duration_s", "steps",
            "ssim_noisy", "leakage_noisy", "psnr_classical", "ssim_classical", "leakage_classical", "classical_sigma", "noise_floor_cross", "noise_floor_recon",
            "cross_excess_final", "cross_excess_final_err", "recon_excess_final", "cross_below_floor", "cross_excess_rel_decrease", "cross_excess_rel_decrease_err" })
        {
            Assert.True(summary.Scalars.ContainsKey(key), $"summary lacks {key}");
        }

        Assert.Equal(6, summary.Scalars["steps"]);
        Assert.Equal(summary.Scalars["psnr_cross"] - summary.Scalars["psnr_noisy"], summary.Scalars["psnr_gain_cross"], 9);
        Assert.Equal(2, resumed.Artifacts.Count(a => a.Kind == ArtifactKind.Panel));
        Assert.All(resumed.Artifacts, a => Assert.True(File.Exists(Path.Combine(temp.Path, a.Path)), a.Path));

        var lines = File.ReadAllLines(temp.File(TrialRunner.MetricsFileName));
        Assert.Equal(events.Metrics.Count + resumed.Metrics.Count, lines.Length);
        Assert.All(lines, l => Assert.Equal("metric", JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()));
        using var written = JsonDocument.Parse(File.ReadAllText(temp.File(TrialRunner.SummaryFileName)));
        Assert.Equal(summary.Scalars["psnr_cross"], written.RootElement.GetProperty("scalars").GetProperty("psnr_cross").GetDouble(), 9);
        Assert.True(written.RootElement.GetProperty("outputs").GetProperty("x_b_from_a").TryGetProperty("leakage_noise_b", out _));
        Assert.False(written.RootElement.GetProperty("supervised").GetBoolean());


        // A checkpoint event's file still holds that step after later checkpoints: a reader that gets to the event late
        // (a busy silo) resumes where the event says, not at the latest step.
        var late = new RecordingTrialEvents();
        await TrialRunner.RunAsync(config, temp.Path, temp.File(resumed.Checkpoints[0].Path), late, null, CancellationToken.None);
        Assert.Equal([5L, 6L], late.ProgressEvents.Select(p => p.Step));
        Assert.Equal(TrialRunner.KeptStepCheckpoints, Directory.GetFiles(temp.File(TrialRunner.StepCheckpointDirectory)).Length);
    }

    [Fact]
    public async Task Only_the_newest_step_checkpoints_are_kept_and_each_event_names_its_own_file()
    {
        var config = TinyConfig.Create(("trainer.epochs", 4), ("trainer.checkpoint_every_epochs", 1), ("evaluation.panels", 0));
        using var temp = new TempDirectory();
        var events = new RecordingTrialEvents();
        await TrialRunner.RunAsync(config, temp.Path, null, events, null, CancellationToken.None);

        Assert.Equal(4, events.Checkpoints.Select(c => c.Path).Distinct().Count());
        var kept = Directory.GetFiles(temp.File(TrialRunner.StepCheckpointDirectory)).Select(f => Path.GetRelativePath(temp.Path, f)).Order(StringComparer.Ordinal);
        Assert.Equal(events.Checkpoints.Skip(1).Select(c => c.Path), kept);
    }

    [Fact]
    public async Task A_complex_run_on_phase_phantoms_measures_magnitudes_and_the_complex_noise_floor()
    {
        var config = TinyConfig.Create(("model.complex", true), ("data.phase", 1.0), ("evaluation.panels", 2));
        using var temp = new TempDirectory();
        var events = new RecordingTrialEvents();
        var summary = await TrialRunner.RunAsync(config, temp.Path, null, events, null, CancellationToken.None);

        var s = summary.Scalars;
        foreach (var key in new[] { "psnr_cross", "ssim_cross", "psnr_noisy", "leakage_cross", "psnr_classical", "noise_floor_cross" })
        {
            Assert.True(double.IsFinite(s[key]), $"{key} is {s[key]}");
        }

        // The noisy input measured by its magnitude; its L1 floor is the mean modulus of the complex noise of both contrasts.
        Assert.InRange(s["psnr_noisy"], 15, 30);
        var floor = 2 * 0.08 * Math.Sqrt(Math.PI / 2);
        Assert.Equal(floor, s["noise_floor_cross"], floor * 0.05);
        Assert.Equal(2, events.Artifacts.Count(a => a.Kind == ArtifactKind.Panel));
    }

    [Fact]
    public async Task A_loss_that_diverges_stops_the_run_at_that_step_naming_the_loss()
    {
        // Adam moves every weight by about lr per step: after the first step the activations overflow.
        var config = TinyConfig.Create(("trainer.lr", 1e30), ("trainer.epochs", 3), ("trainer.checkpoint_every_epochs", 1));
        using var temp = new TempDirectory();
        var events = new RecordingTrialEvents();

        var diverged = await Assert.ThrowsAsync<TrainingDivergedException>(() => TrialRunner.RunAsync(config, temp.Path, null, events, null, CancellationToken.None));

        var (step, _, name, value) = Assert.Single(events.Divergences);
        Assert.Equal((step, name), (diverged.Step, diverged.Metric));
        Assert.StartsWith("loss", name, StringComparison.Ordinal);
        Assert.False(double.IsFinite(value));
        Assert.Equal($"diverged at step {step} ({name} = {value.ToString(CultureInfo.InvariantCulture)})", diverged.Message);
        // The first step is still finite (else the start itself is broken), and nothing runs after the diverged one.
        Assert.True(step >= 2, $"diverged at step {step}");
        Assert.Equal(step, events.ProgressEvents.Max(p => p.Step) + 1);
        Assert.Contains(events.Metrics, m => m.Step == step && m.Name == name && !double.IsFinite(m.Value));
        Assert.DoesNotContain(events.Metrics, m => m.Step > step);
        Assert.Empty(events.Summaries);
        Assert.Empty(events.Checkpoints);
        Assert.Contains(File.ReadLines(temp.File(TrialRunner.MetricsFileName)), l => l.Contains($"\"name\":\"{name}\",\"value\":\"{value.ToString(CultureInfo.InvariantCulture)}\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_a_non_finite_loss_counts_as_divergence_and_the_first_by_name_is_named()
    {
        Assert.Null(TrainingDivergedException.FirstNonFiniteLoss(new Dictionary<string, double> { ["loss.cross"] = 0.3, ["grad_norm.encoder"] = double.NaN }));
        Assert.Equal(
            new KeyValuePair<string, double>("loss.recon", double.PositiveInfinity),
            TrainingDivergedException.FirstNonFiniteLoss(new Dictionary<string, double> { ["loss.total"] = double.NaN, ["loss.cross"] = 0.3, ["loss.recon"] = double.PositiveInfinity }));
        Assert.Equal("diverged at step 7 (loss.cross = -Infinity)", new TrainingDivergedException(7, "loss.cross", double.NegativeInfinity).Message);
    }

    [Fact]
    public async Task Cancellation_stops_the_run()
    {
        using var temp = new TempDirectory();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TrialRunner.RunAsync(TinyConfig.Create(), temp.Path, null, new RecordingTrialEvents(), null, cts.Token));
    }

    [Fact]
    public async Task Diagnostics_prints_shapes_steps_and_a_verdict_per_check()
    {
        var output = new StringWriter();
        await Diagnostics.RunAsync(TinyConfig.Create(("model.architecture", "noise_aware")), 3, output, CancellationToken.None);
        var text = output.ToString();
        Assert.Contains("shapes: x [4, 1, 16, 16], z [4, 8, 8, 8], z_noise [4, 4, 8, 8]", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n').Count(l => l.StartsWith("step ", StringComparison.Ordinal)));
        Assert.Contains("z distance should be very small", text, StringComparison.Ordinal);
        Assert.Contains("cross error must go down", text, StringComparison.Ordinal);
        Assert.Contains("gradient of decoder_b non-zero", text, StringComparison.Ordinal);
    }
}
