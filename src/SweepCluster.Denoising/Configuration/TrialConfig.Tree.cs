using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SweepCluster.Denoising.Configuration;

public sealed partial record TrialConfig
{
    /// <summary>The complete tree of this configuration; <see cref="FromTree"/> of it gives an equal configuration.</summary>
    public JsonObject ToTree()
    {
        var d = Data;
        var m = Model;
        var t = Trainer;
        return new JsonObject
        {
            ["name"] = Name,
            ["seed"] = Seed,
            ["device"] = EnumText("device", Device),
            ["threads"] = (long)Threads,
            ["data"] = new JsonObject
            {
                ["kind"] = EnumText("data.kind", d.Kind),
                ["path"] = d.Path,
                ["representation"] = EnumText("data.representation", d.Representation),
                ["image_size"] = (long)d.ImageSize,
                ["train_samples"] = (long)d.TrainSamples,
                ["val_samples"] = (long)d.ValSamples,
                ["batch_size"] = (long)d.BatchSize,
                ["seed"] = d.Seed,
                ["flip"] = d.Flip,
                ["noise"] = new JsonObject
                {
                    ["kind"] = EnumText("data.noise.kind", d.Noise.Kind),
                    ["sigma_a"] = d.Noise.SigmaA,
                    ["sigma_b"] = d.Noise.SigmaB,
                },
                ["bias_field"] = d.BiasField,
                ["contrast_specific"] = d.ContrastSpecific,
                ["misregistration"] = d.Misregistration,
                ["phase"] = d.Phase,
            },
            ["model"] = new JsonObject
            {
                ["architecture"] = EnumText("model.architecture", m.Architecture),
                ["encoder"] = Network(m.Encoder.Features, m.Encoder.LatentChannels),
                ["decoder_a"] = Network(m.DecoderA.Features, m.DecoderA.LatentChannels),
                ["decoder_b"] = Network(m.DecoderB.Features, m.DecoderB.LatentChannels),
                ["skip_mode"] = EnumText("model.skip_mode", m.SkipMode),
                ["skip_weight"] = m.SkipWeight,
                ["identity"] = m.Identity,
                ["identity_init"] = EnumText("model.identity_init", m.IdentityInit),
                ["missing_skip_width"] = EnumText("model.missing_skip_width", m.MissingSkipWidth),
                ["noise_channels"] = (long)m.NoiseChannels,
                ["complex"] = m.Complex,
                ["discriminator"] = new JsonObject
                {
                    ["enabled"] = m.Discriminator.Enabled,
                    ["features"] = Ints(m.Discriminator.Features),
                    ["lr"] = m.Discriminator.Lr,
                },
            },
            ["trainer"] = new JsonObject
            {
                ["mode"] = EnumText("trainer.mode", t.Mode),
                ["epochs"] = (long)t.Epochs,
                ["steps_per_epoch"] = (long)t.StepsPerEpoch,
                ["cross_skips"] = EnumText("trainer.cross_skips", t.CrossSkips),
                ["mixed_alpha"] = t.MixedAlpha,
                ["same_domain_use_skip"] = t.SameDomainUseSkip,
                ["loss"] = EnumText("trainer.loss", t.Loss),
                ["cross_loss_scale"] = EnumText("trainer.cross_loss_scale", t.CrossLossScale),
                ["input_noise_sigma"] = t.InputNoiseSigma,
                ["anti_collapse"] = new JsonObject
                {
                    ["enabled"] = t.AntiCollapse.Enabled,
                    ["threshold"] = t.AntiCollapse.Threshold,
                    ["patience"] = (long)t.AntiCollapse.Patience,
                    ["factor"] = t.AntiCollapse.Factor,
                    ["max_content"] = t.AntiCollapse.MaxContent,
                    ["min_recon"] = t.AntiCollapse.MinRecon,
                },
                ["loss_weights"] = Weights(t.LossWeights),
                ["schedule"] = new JsonArray([.. t.Schedule.Select(Stage)]),
                ["schedule_ramp_epochs"] = t.ScheduleRampEpochs,
                ["optimizer"] = EnumText("trainer.optimizer", t.Optimizer),
                ["lr"] = t.Lr,
                ["betas"] = new JsonArray([.. t.Betas.Select(b => (JsonNode)JsonValue.Create(b))]),
                ["weight_decay"] = t.WeightDecay,
                ["lr_schedule"] = EnumText("trainer.lr_schedule", t.LrSchedule),
                ["lr_t_max_epochs"] = (long)t.LrTMaxEpochs,
                ["lr_min"] = t.LrMin,
                ["warmup_steps"] = (long)t.WarmupSteps,
                ["grad_clip"] = t.GradClip,
                ["deterministic"] = t.Deterministic,
                ["checkpoint_every_epochs"] = (long)t.CheckpointEveryEpochs,
            },
            ["evaluation"] = new JsonObject
            {
                ["panels"] = (long)Evaluation.Panels,
                ["trend_epochs"] = (long)Evaluation.TrendEpochs,
            },
        };
    }

    /// <summary>
    /// Canonical JSON of a tree: object keys sorted ordinally, numbers in shortest round-trip form (integral
    /// values without a fraction), no whitespace. Two trees that mean the same trial give the same text.
    /// </summary>
    public static string CanonicalJson(JsonNode? tree)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            WriteCanonical(writer, tree);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// The trial id: the first 16 hex digits (lower case) of the SHA-256 of the canonical JSON of the resolved
    /// tree with <c>name</c> left out (the display name is not part of the id). The tree is resolved first, so
    /// a partial tree and its complete form get the same id.
    /// </summary>
    /// <exception cref="TrialConfigException">The tree is not a valid trial.</exception>
    public static string TrialId(JsonObject tree)
    {
        var resolved = FromTree(tree).ToTree();
        resolved.Remove("name");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson(resolved)));
        return Convert.ToHexStringLower(hash)[..16];
    }

    /// <summary>The id of this configuration (see <see cref="TrialId(JsonObject)"/>).</summary>
    public string Id() => TrialId(ToTree());

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteCanonical(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.Number:
                        TreeResolver.TryGetDouble(value, out var number);
                        if (TreeResolver.TryGetInteger(value, out var integer))
                        {
                            writer.WriteRawValue(integer.ToString(CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture));
                        }

                        break;
                    case JsonValueKind.String:
                        writer.WriteStringValue(value.GetValue<string>());
                        break;
                    case JsonValueKind.True:
                        writer.WriteBooleanValue(true);
                        break;
                    case JsonValueKind.False:
                        writer.WriteBooleanValue(false);
                        break;
                    default:
                        writer.WriteNullValue();
                        break;
                }

                break;
        }
    }

    private static TrialConfig Map(JsonObject r)
    {
        var data = (JsonObject)r["data"]!;
        var noise = (JsonObject)data["noise"]!;
        var model = (JsonObject)r["model"]!;
        var discriminator = (JsonObject)model["discriminator"]!;
        var trainer = (JsonObject)r["trainer"]!;
        var evaluation = (JsonObject)r["evaluation"]!;
        return new TrialConfig(
            Str(r, "name"),
            Long(r, "seed"),
            ParseEnum<DeviceKind>(Str(r, "device")),
            Int(r, "threads"),
            new DataConfig(
                ParseEnum<DataKind>(Str(data, "kind")),
                Str(data, "path"),
                ParseEnum<DataRepresentation>(Str(data, "representation")),
                Int(data, "image_size"),
                Int(data, "train_samples"),
                Int(data, "val_samples"),
                Int(data, "batch_size"),
                Long(data, "seed"),
                Bool(data, "flip"),
                new NoiseConfig(ParseEnum<NoiseKind>(Str(noise, "kind")), Num(noise, "sigma_a"), Num(noise, "sigma_b")),
                Num(data, "bias_field"),
                Bool(data, "contrast_specific"),
                Num(data, "misregistration"),
                Num(data, "phase")),
            new ModelConfig(
                ParseEnum<ModelArchitecture>(Str(model, "architecture")),
                new EncoderConfig(IntList(model["encoder"]!["features"]!), Int((JsonObject)model["encoder"]!, "latent_channels")),
                new DecoderConfig(IntList(model["decoder_a"]!["features"]!), Int((JsonObject)model["decoder_a"]!, "latent_channels")),
                new DecoderConfig(IntList(model["decoder_b"]!["features"]!), Int((JsonObject)model["decoder_b"]!, "latent_channels")),
                ParseEnum<SkipMode>(Str(model, "skip_mode")),
                Num(model, "skip_weight"),
                Bool(model, "identity"),
                ParseEnum<IdentityInit>(Str(model, "identity_init")),
                ParseEnum<MissingSkipWidth>(Str(model, "missing_skip_width")),
                Int(model, "noise_channels"),
                new DiscriminatorConfig(Bool(discriminator, "enabled"), IntList(discriminator["features"]!), Num(discriminator, "lr")),
                Bool(model, "complex")),
            new TrainerConfig(
                ParseEnum<TrainerMode>(Str(trainer, "mode")),
                Int(trainer, "epochs"),
                Int(trainer, "steps_per_epoch"),
                ParseEnum<CrossSkips>(Str(trainer, "cross_skips")),
                Num(trainer, "mixed_alpha"),
                Bool(trainer, "same_domain_use_skip"),
                ParseEnum<LossKind>(Str(trainer, "loss")),
                ParseEnum<CrossLossScale>(Str(trainer, "cross_loss_scale")),
                Num(trainer, "input_noise_sigma"),
                MapAntiCollapse((JsonObject)trainer["anti_collapse"]!),
                MapWeights((JsonObject)trainer["loss_weights"]!),
                [.. ((JsonArray)trainer["schedule"]!).Select(s => MapStage((JsonObject)s!))],
                Num(trainer, "schedule_ramp_epochs"),
                ParseEnum<OptimizerKind>(Str(trainer, "optimizer")),
                Num(trainer, "lr"),
                [.. ((JsonArray)trainer["betas"]!).Select(b => ToDouble(b!))],
                Num(trainer, "weight_decay"),
                ParseEnum<LearningRateScheduleKind>(Str(trainer, "lr_schedule")),
                Int(trainer, "lr_t_max_epochs"),
                Num(trainer, "lr_min"),
                Int(trainer, "warmup_steps"),
                Num(trainer, "grad_clip"),
                Bool(trainer, "deterministic"),
                Int(trainer, "checkpoint_every_epochs")),
            new EvaluationConfig(Int(evaluation, "panels"), Int(evaluation, "trend_epochs")));
    }

    private static AntiCollapseConfig MapAntiCollapse(JsonObject a) =>
        new(Bool(a, "enabled"), Num(a, "threshold"), Int(a, "patience"), Num(a, "factor"), Num(a, "max_content"), Num(a, "min_recon"));

    private static LossWeights MapWeights(JsonObject w) =>
        new(Num(w, "content"), Num(w, "recon"), Num(w, "cross"), Num(w, "edge"), Num(w, "adversarial"));

    private static ScheduleStage MapStage(JsonObject s)
    {
        var w = (JsonObject)s["loss_weights"]!;
        double? Get(string key) => w.TryGetPropertyValue(key, out var v) && v is not null ? ToDouble(v) : null;
        double? lr = s.TryGetPropertyValue("lr", out var l) && l is not null ? ToDouble(l) : null;
        var fresh = s.TryGetPropertyValue("fresh_optimizer", out var f) && f is not null && f.GetValue<bool>();
        return new ScheduleStage(Int(s, "from_epoch"), new PartialLossWeights(Get("content"), Get("recon"), Get("cross"), Get("edge"), Get("adversarial")), lr, fresh);
    }

    private static JsonObject Stage(ScheduleStage stage)
    {
        var weights = new JsonObject();
        void Put(string key, double? value)
        {
            if (value is { } v)
            {
                weights[key] = v;
            }
        }

        var w = stage.LossWeights;
        Put("content", w.Content);
        Put("recon", w.Recon);
        Put("cross", w.Cross);
        Put("edge", w.Edge);
        Put("adversarial", w.Adversarial);
        var result = new JsonObject { ["from_epoch"] = (long)stage.FromEpoch, ["loss_weights"] = weights };
        if (stage.Lr is { } lr)
        {
            result["lr"] = lr;
        }

        if (stage.FreshOptimizer)
        {
            result["fresh_optimizer"] = true;
        }

        return result;
    }

    private static JsonObject Weights(LossWeights w) => new()
    {
        ["content"] = w.Content,
        ["recon"] = w.Recon,
        ["cross"] = w.Cross,
        ["edge"] = w.Edge,
        ["adversarial"] = w.Adversarial,
    };

    private static JsonObject Network(IReadOnlyList<int> features, int latent) => new()
    {
        ["features"] = Ints(features),
        ["latent_channels"] = (long)latent,
    };

    private static JsonArray Ints(IReadOnlyList<int> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create((long)v))]);

    /// <summary>The schema's spelling of an enum member: the allowed value equal to the member name without underscores.</summary>
    private static string EnumText<T>(string path, T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return AllowedValues(path)!.First(v => string.Equals(v.Replace("_", string.Empty, StringComparison.Ordinal), name, StringComparison.OrdinalIgnoreCase));
    }

    private static T ParseEnum<T>(string text)
        where T : struct, Enum =>
        Enum.Parse<T>(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true);

    private static string Str(JsonObject o, string key) => o[key]!.GetValue<string>();

    private static bool Bool(JsonObject o, string key) => o[key]!.GetValue<bool>();

    private static long Long(JsonObject o, string key) => TreeResolver.TryGetInteger((JsonValue)o[key]!, out var v) ? v : 0;

    private static int Int(JsonObject o, string key) => (int)Long(o, key);

    private static double Num(JsonObject o, string key) => ToDouble(o[key]!);

    private static double ToDouble(JsonNode node) => TreeResolver.TryGetDouble((JsonValue)node, out var v) ? v : 0;

    private static int[] IntList(JsonNode node) =>
        [.. ((JsonArray)node).Select(n => TreeResolver.TryGetInteger((JsonValue)n!, out var v) ? (int)v : 0)];
}
