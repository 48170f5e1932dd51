using System.Globalization;
using System.Text;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A tiny real sweep: one CPU thread per trial, a few seconds of training, a checkpoint every
/// epoch. Rows differ only in the recon loss weight so every row is its own trial.
/// </summary>
public static class FaultSweep
{
    /// <summary>Training steps per epoch: <see cref="TrainSamples"/> / batch size 8.</summary>
    public const int StepsPerEpoch = TrainSamples / 8;

    public const int Epochs = 8;

    // Sized so an epoch outlasts a silo heartbeat (2 s) on the faster engine: the tests must see trials mid-run.
    private const int TrainSamples = 256;

    /// <summary>The sweep file's text, with <paramref name="rows"/> matrix rows and profile <c>cpu</c>.</summary>
    public static string Text(string name, int rows)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"name: {name}");
        text.AppendLine("question: Does the cluster finish a sweep through faults, each point once?");
        text.AppendLine("objective: {metric: psnr_cross, goal: maximize}");
        text.AppendLine("base:");
        text.AppendLine("  data.kind: synthetic");
        text.AppendLine("matrix:");
        for (var row = 0; row < rows; row++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - name: recon_{row}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    overrides: {{trainer.loss_weights.recon: {0.5 - (0.1 * row)}}}");
        }

        text.AppendLine("default_profile: cpu");
        text.AppendLine("profiles:");
        text.AppendLine("  cpu:");
        text.AppendLine("    overrides:");
        text.AppendLine("      device: cpu");
        text.AppendLine("      threads: 1");
        text.AppendLine(CultureInfo.InvariantCulture, $"      data: {{image_size: 32, train_samples: {TrainSamples}, val_samples: 4, batch_size: 8}}");
        text.AppendLine("      model:");
        text.AppendLine("        encoder: {features: [4, 8], latent_channels: 8}");
        text.AppendLine("        decoder_a: {features: [8, 4], latent_channels: 8}");
        text.AppendLine("        decoder_b: {features: [8, 4], latent_channels: 8}");
        text.AppendLine(CultureInfo.InvariantCulture, $"      trainer: {{epochs: {Epochs}, checkpoint_every_epochs: 1}}");
        text.AppendLine("      evaluation: {panels: 1, trend_epochs: 2}");
        text.AppendLine("    seeds: 1");
        text.AppendLine("    resources: {gpus: 0}");
        return text.ToString();
    }
}
