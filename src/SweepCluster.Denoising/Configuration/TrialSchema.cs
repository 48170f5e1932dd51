using System.Text.Json.Nodes;

namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// The shape of the trial tree (docs/trial-config.md): every key, its type and its default.
/// Defaults, type checks and enum lists all come from here so they cannot drift apart.
/// </summary>
internal static class TrialSchema
{
    public static readonly IReadOnlyList<string> LossWeightKeys = ["content", "recon", "cross", "edge", "adversarial"];

    /// <summary>
    /// <c>trainer.cross_skips</c>. The old <c>cross_domain_strategy</c> names are aliases with the notes' reading (their
    /// "source" is the contrast being predicted), which is the opposite of the public implementation's code for the
    /// two skip names (docs/trial-config.md has the table).
    /// </summary>
    private static ScalarSchema CrossSkipsSchema { get; } = new(
        ScalarType.Enum,
        "target",
        ["input", "target", "none", "zeros", "mixed"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["use_source_skip"] = "target",
            ["use_target_skip"] = "input",
            ["no_skip"] = "none",
            ["zero_skip"] = "zeros",
            ["mixed_skip"] = "mixed",
        });

    /// <summary>Old key names that still read as the new ones, per object path.</summary>
    public static IReadOnlyDictionary<string, string> TrainerKeyAliases { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["cross_domain_strategy"] = "cross_skips" };

    public static ObjectSchema Root { get; } = new(
    [
        new("name", new ScalarSchema(ScalarType.String, "trial")),
        new("seed", new ScalarSchema(ScalarType.Long, 0L)),
        new("device", Enum("auto", "auto", "cpu", "cuda")),
        new("threads", new ScalarSchema(ScalarType.Int, 0L)),
        new("data", new ObjectSchema(
        [
            new("kind", Enum("synthetic", "synthetic", "npy")),
            new("path", new ScalarSchema(ScalarType.String, string.Empty)),
            new("representation", Enum("magnitude", "magnitude", "real_imag")),
            new("image_size", new ScalarSchema(ScalarType.Int, 64L)),
            new("train_samples", new ScalarSchema(ScalarType.Int, 64L)),
            new("val_samples", new ScalarSchema(ScalarType.Int, 16L)),
            new("batch_size", new ScalarSchema(ScalarType.Int, 8L)),
            new("seed", new ScalarSchema(ScalarType.Long, 1234L)),
            new("flip", new ScalarSchema(ScalarType.Bool, true)),
            new("noise", new ObjectSchema(
            [
                new("kind", Enum("gaussian", "gaussian", "rician")),
                new("sigma_a", new ScalarSchema(ScalarType.Number, 0.08)),
                new("sigma_b", new ScalarSchema(ScalarType.Number, 0.08)),
            ])),
            new("bias_field", new ScalarSchema(ScalarType.Number, 0.0)),
            new("contrast_specific", new ScalarSchema(ScalarType.Bool, false)),
            new("misregistration", new ScalarSchema(ScalarType.Number, 0.0)),
            new("phase", new ScalarSchema(ScalarType.Number, 0.0)),
        ])),
        new("model", new ObjectSchema(
        [
            new("architecture", Enum("shared", "shared", "separate", "noise_aware")),
            new("encoder", Network([32, 64, 128], 256)),
            new("decoder_a", Network([128, 64, 32], 256)),
            new("decoder_b", Network([128, 64, 32], 256)),
            new("skip_mode", Enum("concat", "concat", "additive")),
            new("skip_weight", new ScalarSchema(ScalarType.Number, 1.0)),
            new("identity", new ScalarSchema(ScalarType.Bool, false)),
            new("identity_init", Enum("default", "default", "zero_decoder")),
            new("missing_skip_width", Enum("skip", "skip", "half_input")),
            new("noise_channels", new ScalarSchema(ScalarType.Int, 32L)),
            new("complex", new ScalarSchema(ScalarType.Bool, false)),
            new("discriminator", new ObjectSchema(
            [
                new("enabled", new ScalarSchema(ScalarType.Bool, false)),
                new("features", new ListSchema(ScalarType.Int, [32L, 64L, 128L], null)),
                new("lr", new ScalarSchema(ScalarType.Number, 0.0002)),
            ])),
        ])),
        new("trainer", new ObjectSchema(
        [
            new("mode", Enum("c2c", "c2c", "supervised", "supervised_cross")),
            new("epochs", new ScalarSchema(ScalarType.Int, 6L)),
            new("steps_per_epoch", new ScalarSchema(ScalarType.Int, 0L)),
            new("cross_skips", CrossSkipsSchema),
            new("mixed_alpha", new ScalarSchema(ScalarType.Number, 0.5)),
            new("same_domain_use_skip", new ScalarSchema(ScalarType.Bool, true)),
            new("loss", Enum("l1", "l1", "mse")),
            new("cross_loss_scale", Enum("none", "none", "median")),
            new("input_noise_sigma", new ScalarSchema(ScalarType.Number, 0.0)),
            new("anti_collapse", new ObjectSchema(
            [
                new("enabled", new ScalarSchema(ScalarType.Bool, false)),
                new("threshold", new ScalarSchema(ScalarType.Number, 1e-5)),
                new("patience", new ScalarSchema(ScalarType.Int, 2L)),
                new("factor", new ScalarSchema(ScalarType.Number, 0.2)),
                new("max_content", new ScalarSchema(ScalarType.Number, 8.0)),
                new("min_recon", new ScalarSchema(ScalarType.Number, 5e-4)),
            ])),
            new("loss_weights", LossWeightsSchema([1.0, 0.5, 1.0, 0.0, 0.0])),
            new("schedule", new StageListSchema()),
            new("schedule_ramp_epochs", new ScalarSchema(ScalarType.Number, 0.0)),
            new("optimizer", Enum("adam", "adam", "adamw")),
            new("lr", new ScalarSchema(ScalarType.Number, 0.001)),
            new("betas", new ListSchema(ScalarType.Number, [0.9, 0.999], 2)),
            new("weight_decay", new ScalarSchema(ScalarType.Number, 0.0)),
            new("lr_schedule", Enum("cosine", "cosine", "constant", "cosine_epoch")),
            new("lr_t_max_epochs", new ScalarSchema(ScalarType.Int, 0L)),
            new("lr_min", new ScalarSchema(ScalarType.Number, 0.0)),
            new("warmup_steps", new ScalarSchema(ScalarType.Int, 0L)),
            new("grad_clip", new ScalarSchema(ScalarType.Number, 1.0)),
            new("deterministic", new ScalarSchema(ScalarType.Bool, true)),
            new("checkpoint_every_epochs", new ScalarSchema(ScalarType.Int, 1L)),
        ],
        TrainerKeyAliases)),
        new("evaluation", new ObjectSchema(
        [
            new("panels", new ScalarSchema(ScalarType.Int, 3L)),
            new("trend_epochs", new ScalarSchema(ScalarType.Int, 3L)),
        ])),
    ]);

    /// <summary>The schema node at a dotted path (array indices such as <c>[0]</c> are skipped), or null.</summary>
    public static SchemaNode? Find(string dottedPath)
    {
        ArgumentNullException.ThrowIfNull(dottedPath);
        SchemaNode? node = Root;
        foreach (var rawPart in dottedPath.Split('.'))
        {
            var bracket = rawPart.IndexOf('[', StringComparison.Ordinal);
            var part = bracket >= 0 ? rawPart[..bracket] : rawPart;
            node = node switch
            {
                ObjectSchema obj => obj.Field(obj.CanonicalKey(part)),
                StageListSchema => part switch
                {
                    "from_epoch" => new ScalarSchema(ScalarType.Int, 1L),
                    "loss_weights" => LossWeightsSchema([1.0, 0.5, 1.0, 0.0, 0.0]),
                    "lr" => new ScalarSchema(ScalarType.Number, 0.001),
                    "fresh_optimizer" => new ScalarSchema(ScalarType.Bool, false),
                    _ => null,
                },
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static ObjectSchema LossWeightsSchema(double[] defaults) =>
        new([.. LossWeightKeys.Select((key, i) => new KeyValuePair<string, SchemaNode>(key, new ScalarSchema(ScalarType.Number, defaults[i])))]);

    private static ScalarSchema Enum(string defaultValue, params string[] values) => new(ScalarType.Enum, defaultValue, values);

    private static ObjectSchema Network(long[] features, long latent) => new(
    [
        new("features", new ListSchema(ScalarType.Int, [.. features.Cast<object>()], null)),
        new("latent_channels", new ScalarSchema(ScalarType.Int, latent)),
    ]);
}

internal enum ScalarType
{
    Int,
    Long,
    Number,
    Bool,
    String,
    Enum,
}

internal abstract class SchemaNode
{
    /// <summary>A fresh copy of the default value of this node.</summary>
    public abstract JsonNode? CreateDefault();
}

internal sealed class ObjectSchema(IReadOnlyList<KeyValuePair<string, SchemaNode>> fields, IReadOnlyDictionary<string, string>? keyAliases = null) : SchemaNode
{
    public IReadOnlyList<KeyValuePair<string, SchemaNode>> Fields { get; } = fields;

    /// <summary>Old key names that read as current ones (alias -> key).</summary>
    public IReadOnlyDictionary<string, string> KeyAliases { get; } = keyAliases ?? new Dictionary<string, string>();

    /// <summary>The current name of <paramref name="key"/> (itself unless it is an alias).</summary>
    public string CanonicalKey(string key) => KeyAliases.TryGetValue(key, out var canonical) ? canonical : key;

    public SchemaNode? Field(string key) => Fields.FirstOrDefault(f => f.Key == key).Value;

    public override JsonNode CreateDefault()
    {
        var obj = new JsonObject();
        foreach (var (key, node) in Fields)
        {
            obj[key] = node.CreateDefault();
        }

        return obj;
    }
}

internal sealed class ScalarSchema(ScalarType type, object defaultValue, IReadOnlyList<string>? values = null, IReadOnlyDictionary<string, string>? aliases = null) : SchemaNode
{
    public ScalarType Type { get; } = type;

    public object Default { get; } = defaultValue;

    /// <summary>The valid values of an enum, current names only.</summary>
    public IReadOnlyList<string>? Values { get; } = values;

    /// <summary>Old enum names that read as current ones (alias -> value).</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; } = aliases ?? new Dictionary<string, string>();

    public override JsonNode? CreateDefault() => Default switch
    {
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => throw new InvalidOperationException("Unsupported default " + Default),
    };
}

internal sealed class ListSchema(ScalarType itemType, object[] defaults, int? length) : SchemaNode
{
    public ScalarType ItemType { get; } = itemType;

    public int? Length { get; } = length;

    public override JsonNode CreateDefault() =>
        new JsonArray([.. defaults.Select(d => new ScalarSchema(ItemType, d).CreateDefault())]);
}

/// <summary><c>trainer.schedule</c>: a list of <c>{from_epoch, loss_weights}</c> stages with partial weights.</summary>
internal sealed class StageListSchema : SchemaNode
{
    public override JsonNode CreateDefault() => new JsonArray();
}
