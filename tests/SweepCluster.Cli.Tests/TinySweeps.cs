using System.Globalization;

namespace SweepCluster.Cli.Tests;

/// <summary>Sweep files small enough that a trial trains in seconds on one thread.</summary>
internal static class TinySweeps
{
    /// <summary>Two rows with expectations, two seeds each, three short epochs: a few seconds per trial.</summary>
    public static string TwoRowsTwoSeeds { get; } = Head("tiny", "Does the tiny sweep run end to end?", "{epochs: 3}") + """
        matrix:
          - name: source_skip
            overrides: {trainer.cross_skips: target}
            expect: {text: "fail (noise leak)", verdict: fail}
          - name: no_skip
            overrides: {trainer.cross_skips: none}
            expect: {text: "pass? test this!", verdict: pass, confident: false}
        seeds: 2
        default_profile: cpu
        profiles:
          cpu:
            overrides: {device: cpu}

        """;

    /// <summary>The least a sweep file needs (no question, no description, no profiles): one trial of two short epochs.</summary>
    public static string Minimal { get; } = Head("minimal", question: null, "{epochs: 2}", trainSamples: 16);

    /// <summary>One trial whose learning rate makes its loss NaN within a few steps; three attempts allowed.</summary>
    public static string Diverging { get; } =
        Head("diverging", "Does a diverging trial fail once, saying where?", "{epochs: 2, lr: 1.0e+30}", trainSamples: 16) + "max_attempts: 3\n";

    /// <summary>
    /// Three rows judged by the median rule from epoch 1 on, in their order on one slot: <c>learns</c> completes;
    /// <c>frozen</c> (a learning rate that leaves its weights as they were initialised) is then judged against it at
    /// epoch 1 and pruned; <c>also_learns</c> runs last.
    /// </summary>
    public static string Prunable { get; } = Head("prunable", "Does a rerun keep what early stopping decided?",
        "{epochs: 4, steps_per_epoch: 40, checkpoint_every_epochs: 1, cross_skips: none}") + """
        early_stopping: {rule: median, grace_epochs: 1, min_trials: 1}
        matrix:
          - name: learns
          - name: frozen
            overrides: {trainer.lr: 1.0e-12}
          - name: also_learns
            overrides: {trainer.cross_skips: zeros}

        """;

    /// <summary>
    /// The named rows of <c>first</c> (<c>cross_skips: target</c>), <c>second</c> (<c>none</c>) and <c>third</c>
    /// (<c>zeros</c>), one seed each, two short epochs: the same row is the same trial in every file made here.
    /// </summary>
    public static string Rows(params string[] rows)
    {
        var skips = new Dictionary<string, string> { ["first"] = "target", ["second"] = "none", ["third"] = "zeros" };
        var matrix = string.Concat(rows.Select(r => $"\n  - name: {r}\n    overrides: {{trainer.cross_skips: {skips[r]}}}"));
        return Head("revisable", "Does an edited sweep run only what it lists?", "{epochs: 2}", trainSamples: 16) + "matrix:" + matrix + "\n";
    }

    /// <summary>
    /// Three rows, one seed, <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps with a
    /// checkpoint after each (40 steps take about 0.8 s on an idle core); the last row trains two epochs only, as
    /// nothing is interrupted there.
    /// </summary>
    public static string ThreeRowsCheckpointed(int epochs, int stepsPerEpoch) =>
        Head("resumable", "Does a run resume where it was interrupted?",
            string.Create(CultureInfo.InvariantCulture, $"{{epochs: {epochs}, steps_per_epoch: {stepsPerEpoch}, checkpoint_every_epochs: 1}}")) + """
        matrix:
          - name: first
            overrides: {trainer.cross_skips: target}
          - name: second
            overrides: {trainer.cross_skips: none}
          - name: third
            overrides: {trainer.cross_skips: zeros, trainer.epochs: 2}
        max_attempts: 5

        """;

    /// <summary>
    /// A sweep file's name, question (none when null), description (none when null) and base: one CPU thread, 16-pixel
    /// images, a two-level network of a few channels, <paramref name="trainer"/> as the trainer block (a YAML flow map).
    /// </summary>
    public static string Head(string name, string? question, string trainer, int trainSamples = 32, string? description = null) =>
        $"name: {name}\n"
        + (question is null ? string.Empty : $"question: {question}\n")
        + (description is null ? string.Empty : $"description: {description}\n")
        + string.Create(CultureInfo.InvariantCulture, $$"""
            base:
              device: cpu
              threads: 1
              data: {image_size: 16, train_samples: {{trainSamples}}, val_samples: 4, batch_size: 8}
              model:
                encoder: {features: [4, 8], latent_channels: 8}
                decoder_a: {features: [8, 4], latent_channels: 8}
                decoder_b: {features: [8, 4], latent_channels: 8}
              trainer: {{trainer}}
              evaluation: {panels: 1, trend_epochs: 2}

            """);
}
