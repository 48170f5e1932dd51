using System.Reflection;
using System.Text.Json.Nodes;
using SweepCluster.Sweeps;

namespace SweepCluster.Sweeps.Tests;

/// <summary>
/// The trial-config contract of docs/trial-config.md, written by hand for tests: the default tree
/// from an embedded JSON copy, the enumerations of the document, and a few cross-field rules.
/// </summary>
internal sealed class FakeTrialConfigSchema : ITrialConfigSchema
{
    private static readonly string DefaultsText = ReadDefaults();

    private static readonly Dictionary<string, string[]> Enums = new(StringComparer.Ordinal)
    {
        ["device"] = ["auto", "cpu", "cuda"],
        ["data.kind"] = ["synthetic", "npy"],
        ["data.representation"] = ["magnitude", "real_imag"],
        ["data.noise.kind"] = ["gaussian", "rician"],
        ["model.architecture"] = ["shared", "separate", "noise_aware"],
        ["model.skip_mode"] = ["concat", "additive"],
        ["trainer.mode"] = ["c2c", "supervised", "supervised_cross"],
        ["trainer.cross_domain_strategy"] = ["use_source_skip", "use_target_skip", "no_skip", "zero_skip", "mixed_skip"],
        ["trainer.cross_skips"] = ["input", "target", "none", "zeros", "mixed"],
        ["trainer.loss"] = ["l1", "mse"],
        ["trainer.cross_loss_scale"] = ["none", "median"],
        ["trainer.optimizer"] = ["adam", "adamw"],
        ["trainer.lr_schedule"] = ["cosine", "constant", "cosine_epoch"],
        ["model.identity_init"] = ["default", "zero_decoder"],
        ["model.missing_skip_width"] = ["skip", "half_input"],
    };

    public static FakeTrialConfigSchema Instance { get; } = new();

    public JsonObject CreateDefaults() => JsonNode.Parse(DefaultsText)!.AsObject();

    public IReadOnlyList<string>? AllowedValues(string dottedPath) => Enums.GetValueOrDefault(dottedPath);

    public IReadOnlyList<string> Validate(JsonObject resolved)
    {
        var errors = new List<string>();
        var model = resolved["model"]!;
        var encoderLatent = model["encoder"]!["latent_channels"]!.GetValue<double>();
        foreach (var decoder in new[] { "decoder_a", "decoder_b" })
        {
            if (model[decoder]!["latent_channels"]!.GetValue<double>() != encoderLatent)
            {
                errors.Add($"model.{decoder}.latent_channels: must equal model.encoder.latent_channels ({encoderLatent})");
            }
        }

        var levels = model["encoder"]!["features"]!.AsArray().Count;
        var size = resolved["data"]!["image_size"]!.GetValue<double>();
        if (size % (1 << (levels - 1)) != 0)
        {
            errors.Add($"data.image_size: {size} is not divisible by {1 << (levels - 1)} ({levels} encoder levels)");
        }

        if (model["skip_weight"]!.GetValue<double>() <= 0)
        {
            errors.Add("model.skip_weight: must be > 0");
        }

        var epochs = resolved["trainer"]!["epochs"]!.GetValue<double>();
        if (epochs < 1)
        {
            errors.Add("trainer.epochs: must be >= 1");
        }

        foreach (var stage in resolved["trainer"]!["schedule"]!.AsArray())
        {
            var from = stage!["from_epoch"]!.GetValue<double>();
            if (from > epochs)
            {
                errors.Add($"trainer.schedule: a stage starts at epoch {from}, after the last epoch {epochs}");
            }
        }

        return errors;
    }

    private static string ReadDefaults()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("TrialConfigDefaults.json")
            ?? throw new InvalidOperationException("TrialConfigDefaults.json is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
