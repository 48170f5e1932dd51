using System.Globalization;
using System.Text;

namespace SweepCluster.Fault.Tests;

/// <summary>
/// A tiny real sweep: 16-pixel images, one CPU thread per trial, a checkpoint after every epoch. Rows differ only in
/// their cross skips, so every row is its own trial.
/// </summary>
public static class FaultSweep
{
    /// <summary>Training steps per epoch (<c>trainer.steps_per_epoch</c>).</summary>
    public const int StepsPerEpoch = 16;

    /// <summary>
    /// Long enough that a fault lands mid-trial however busy the machine is (a trial is checked and hit between its
    /// first checkpoint and its last epochs), short enough that the suite stays within minutes.
    /// </summary>
    public const int Epochs = 10;

    public const int TotalSteps = StepsPerEpoch * Epochs;

    private static readonly string[] CrossSkips = ["target", "none", "zeros"];

    /// <summary>The sweep file's text, with <paramref name="rows"/> (1 to 3) matrix rows.</summary>
    public static string Text(string name, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rows, CrossSkips.Length);
        var text = Base(name, "Does the cluster finish a sweep through faults, each point once?");
        text.AppendLine("matrix:");
        for (var row = 0; row < rows; row++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  - name: skips_{CrossSkips[row]}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    overrides: {{trainer.cross_skips: {CrossSkips[row]}}}");
        }

        text.AppendLine("max_attempts: 5");
        return text.ToString();
    }

    /// <summary>
    /// Three rows judged by the median rule from epoch 1 on, in queue order on one slot: <c>learns</c> completes,
    /// <c>frozen</c> (a learning rate that leaves its weights as initialised) is pruned at epoch 1 against it, and
    /// <c>also_learns</c> runs last.
    /// </summary>
    public static string Prunable(string name)
    {
        var text = Base(name, "Does a pruning decision outlive the processes that made it?");
        text.AppendLine("early_stopping: {rule: median, grace_epochs: 1, min_trials: 1}");
        text.AppendLine("matrix:");
        text.AppendLine("  - name: learns");
        text.AppendLine("    overrides: {trainer.cross_skips: none}");
        text.AppendLine("  - name: frozen");
        text.AppendLine("    overrides: {trainer.cross_skips: none, trainer.lr: 1.0e-12}");
        text.AppendLine("  - name: also_learns");
        text.AppendLine("    overrides: {trainer.cross_skips: zeros}");
        text.AppendLine("max_attempts: 5");
        return text.ToString();
    }

    private static StringBuilder Base(string name, string question)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"name: {name}");
        text.AppendLine(CultureInfo.InvariantCulture, $"question: {question}");
        text.AppendLine("base:");
        text.AppendLine("  device: cpu");
        text.AppendLine("  threads: 1");
        text.AppendLine("  data: {image_size: 16, train_samples: 32, val_samples: 4, batch_size: 8}");
        text.AppendLine("  model:");
        text.AppendLine("    encoder: {features: [4, 8], latent_channels: 8}");
        text.AppendLine("    decoder_a: {features: [8, 4], latent_channels: 8}");
        text.AppendLine("    decoder_b: {features: [8, 4], latent_channels: 8}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  trainer: {{epochs: {Epochs}, steps_per_epoch: {StepsPerEpoch}, checkpoint_every_epochs: 1}}");
        text.AppendLine("  evaluation: {panels: 1, trend_epochs: 2}");
        return text;
    }
}
