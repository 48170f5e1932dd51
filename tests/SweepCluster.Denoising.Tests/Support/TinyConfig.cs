using System.Text.Json.Nodes;
using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Tests.Support;

/// <summary>Small trial configurations for CPU tests: 16x16 phantoms, two levels of 4 and 8 features, two short epochs.</summary>
internal static class TinyConfig
{
    /// <summary>The tiny defaults with dotted-path overrides applied (<c>("trainer.loss", "mse")</c>).</summary>
    public static TrialConfig Create(params (string Path, JsonNode? Value)[] overrides)
    {
        var tree = TrialConfig.DefaultTree();
        (string, JsonNode?)[] tiny =
        [
            ("device", "cpu"),
            ("threads", 1),
            ("data.image_size", 16),
            ("data.train_samples", 8),
            ("data.val_samples", 4),
            ("data.batch_size", 4),
            ("model.encoder.features", new JsonArray(4, 8)),
            ("model.encoder.latent_channels", 8),
            ("model.decoder_a.features", new JsonArray(8, 4)),
            ("model.decoder_a.latent_channels", 8),
            ("model.decoder_b.features", new JsonArray(8, 4)),
            ("model.decoder_b.latent_channels", 8),
            ("model.noise_channels", 4),
            ("model.discriminator.features", new JsonArray(4, 8)),
            ("trainer.epochs", 2),
            ("evaluation.panels", 1),
            ("evaluation.trend_epochs", 2),
        ];
        foreach (var (path, value) in tiny.Concat(overrides))
        {
            Set(tree, path, value);
        }

        return TrialConfig.FromTree(tree);
    }

    private static void Set(JsonObject tree, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        var node = tree;
        foreach (var part in parts[..^1])
        {
            node = (JsonObject)node[part]!;
        }

        node[parts[^1]] = value?.DeepClone();
    }
}
