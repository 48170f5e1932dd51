using System.Globalization;

namespace SweepCluster.Cli.Tests;

/// <summary>Sweep files small enough that a trial trains in seconds on one thread.</summary>
internal static class TinySweeps
{
    /// <summary>Two rows with expectations, two seeds each, three short epochs: a few seconds per trial.</summary>
    public const string TwoRowsTwoSeeds = """
        name: tiny
        question: Does the tiny sweep run end to end?
        base:
          device: cpu
          threads: 1
          data: {image_size: 16, train_samples: 32, val_samples: 4, batch_size: 8}
          model:
            encoder: {features: [4, 8], latent_channels: 8}
            decoder_a: {features: [8, 4], latent_channels: 8}
            decoder_b: {features: [8, 4], latent_channels: 8}
          trainer: {epochs: 3}
          evaluation: {panels: 1, trend_epochs: 2}
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
    public const string Minimal = """
        name: minimal
        base:
          device: cpu
          threads: 1
          data: {image_size: 16, train_samples: 16, val_samples: 4, batch_size: 8}
          model:
            encoder: {features: [4, 8], latent_channels: 8}
            decoder_a: {features: [8, 4], latent_channels: 8}
            decoder_b: {features: [8, 4], latent_channels: 8}
          trainer: {epochs: 2}
          evaluation: {panels: 1, trend_epochs: 2}
        """;

    /// <summary>One trial whose learning rate makes its loss NaN within a few steps; three attempts allowed.</summary>
    public const string Diverging = """
        name: diverging
        question: Does a diverging trial fail once, saying where?
        base:
          device: cpu
          threads: 1
          data: {image_size: 16, train_samples: 16, val_samples: 4, batch_size: 8}
          model:
            encoder: {features: [4, 8], latent_channels: 8}
            decoder_a: {features: [8, 4], latent_channels: 8}
            decoder_b: {features: [8, 4], latent_channels: 8}
          trainer: {epochs: 2, lr: 1.0e+30}
          evaluation: {panels: 1, trend_epochs: 2}
        max_attempts: 3
        """;

    /// <summary>
    /// The named rows of <c>first</c> (<c>cross_skips: target</c>), <c>second</c> (<c>none</c>) and <c>third</c>
    /// (<c>zeros</c>), one seed each, two short epochs: the same row is the same trial in every file made here.
    /// </summary>
    public static string Rows(params string[] rows)
    {
        var skips = new Dictionary<string, string> { ["first"] = "target", ["second"] = "none", ["third"] = "zeros" };
        var matrix = string.Concat(rows.Select(r => $"\n  - name: {r}\n    overrides: {{trainer.cross_skips: {skips[r]}}}"));
        return """
            name: revisable
            question: Does an edited sweep run only what it lists?
            base:
              device: cpu
              threads: 1
              data: {image_size: 16, train_samples: 16, val_samples: 4, batch_size: 8}
              model:
                encoder: {features: [4, 8], latent_channels: 8}
                decoder_a: {features: [8, 4], latent_channels: 8}
                decoder_b: {features: [8, 4], latent_channels: 8}
              trainer: {epochs: 2}
              evaluation: {panels: 1, trend_epochs: 2}
            matrix:
            """ + matrix + "\n";
    }

    /// <summary>
    /// Three rows, one seed, <paramref name="epochs"/> epochs of <paramref name="stepsPerEpoch"/> steps with a
    /// checkpoint after each (40 steps take about 0.8 s on an idle core); the last row trains two epochs only, as
    /// nothing is interrupted there.
    /// </summary>
    public static string ThreeRowsCheckpointed(int epochs, int stepsPerEpoch) => string.Create(CultureInfo.InvariantCulture, $$"""
        name: resumable
        question: Does a run resume where it was interrupted?
        base:
          device: cpu
          threads: 1
          data: {image_size: 16, train_samples: 32, val_samples: 4, batch_size: 8}
          model:
            encoder: {features: [4, 8], latent_channels: 8}
            decoder_a: {features: [8, 4], latent_channels: 8}
            decoder_b: {features: [8, 4], latent_channels: 8}
          trainer: {epochs: {{epochs}}, steps_per_epoch: {{stepsPerEpoch}}, checkpoint_every_epochs: 1}
          evaluation: {panels: 1, trend_epochs: 2}
        matrix:
          - name: first
            overrides: {trainer.cross_skips: target}
          - name: second
            overrides: {trainer.cross_skips: none}
          - name: third
            overrides: {trainer.cross_skips: zeros, trainer.epochs: 2}
        max_attempts: 5
        """);
}
