using System.Globalization;
using System.Text.Json.Nodes;

namespace SweepCluster.Denoising.Configuration;

public sealed partial record TrialConfig
{
    /// <summary>Checks of a schema-resolved tree that types alone cannot express.</summary>
    private static List<string> SemanticErrors(JsonObject r, Func<string, string> where)
    {
        var errors = new List<string>();
        void Fail(string path, string message) => errors.Add($"{path}{where(path)}: {message}");
        long I(string path) => TreeResolver.TryGetInteger((JsonValue)Node(r, path)!, out var v) ? v : 0;
        double D(string path) => TreeResolver.TryGetDouble((JsonValue)Node(r, path)!, out var v) ? v : 0;
        string S(string path) => Node(r, path)!.GetValue<string>();
        bool B(string path) => Node(r, path)!.GetValue<bool>();
        long[] L(string path) => [.. ((JsonArray)Node(r, path)!).Select(n => TreeResolver.TryGetInteger((JsonValue)n!, out var v) ? v : 0)];
        void Positive(string path)
        {
            if (I(path) <= 0)
            {
                Fail(path, $"must be positive, got {I(path)}");
            }
        }

        void NotNegative(string path)
        {
            var value = Node(r, path)!;
            var number = TreeResolver.TryGetDouble((JsonValue)value, out var v) ? v : 0;
            if (number < 0)
            {
                Fail(path, $"must not be negative, got {number.ToString("R", CultureInfo.InvariantCulture)}");
            }
        }

        void Features(string path)
        {
            var features = L(path);
            if (features.Length == 0)
            {
                Fail(path, "must list at least one level");
            }

            for (var i = 0; i < features.Length; i++)
            {
                if (features[i] <= 0)
                {
                    Fail($"{path}[{i}]", $"must be positive, got {features[i]}");
                }
            }
        }

        NotNegative("threads");

        Positive("data.image_size");
        Positive("data.train_samples");
        Positive("data.val_samples");
        Positive("data.batch_size");
        if (I("data.batch_size") > I("data.train_samples") && I("data.train_samples") > 0)
        {
            Fail("data.batch_size", $"{I("data.batch_size")} is larger than data.train_samples ({I("data.train_samples")})");
        }

        NotNegative("data.noise.sigma_a");
        NotNegative("data.noise.sigma_b");
        NotNegative("data.bias_field");
        if (D("data.bias_field") >= 1)
        {
            Fail("data.bias_field", "must be below 1 (the field is 1 + amplitude * a smooth function in [-1, 1], and must stay positive)");
        }

        NotNegative("data.misregistration");
        if (S("data.kind") == "npy" && S("data.path").Length == 0)
        {
            Fail("data.path", "is required when data.kind is npy (a folder holding a/*.npy and b/*.npy)");
        }

        ComplexErrors(Fail, S, D, B);

        Features("model.encoder.features");
        Features("model.decoder_a.features");
        Features("model.decoder_b.features");
        Positive("model.encoder.latent_channels");
        var encoderDepth = L("model.encoder.features").Length;
        foreach (var decoder in new[] { "model.decoder_a", "model.decoder_b" })
        {
            var depth = L(decoder + ".features").Length;
            if (depth != encoderDepth)
            {
                Fail(decoder + ".features", $"has {depth} levels but model.encoder.features has {encoderDepth}; each decoder level takes one encoder level's skip");
            }

            if (I(decoder + ".latent_channels") != I("model.encoder.latent_channels"))
            {
                Fail(decoder + ".latent_channels", $"is {I(decoder + ".latent_channels")} but the encoder produces {I("model.encoder.latent_channels")} latent channels");
            }
        }

        if (encoderDepth > 0 && I("data.image_size") > 0)
        {
            var factor = 1L << Math.Min(encoderDepth - 1, 30);
            if (I("data.image_size") % factor != 0)
            {
                Fail("data.image_size", $"{I("data.image_size")} is not divisible by {factor}, which {encoderDepth} encoder levels (each halving the size) need");
            }
        }

        NotNegative("model.skip_weight");
        if (S("model.architecture") == "noise_aware")
        {
            Positive("model.noise_channels");
        }

        if (B("model.discriminator.enabled"))
        {
            Features("model.discriminator.features");
            if (D("model.discriminator.lr") <= 0)
            {
                Fail("model.discriminator.lr", "must be positive when the discriminator is enabled");
            }
        }

        Positive("trainer.epochs");
        NotNegative("trainer.steps_per_epoch");
        if (D("trainer.mixed_alpha") is < 0 or > 1)
        {
            Fail("trainer.mixed_alpha", "must lie in [0, 1]");
        }

        foreach (var key in TrialSchema.LossWeightKeys)
        {
            NotNegative("trainer.loss_weights." + key);
        }

        var adversarial = D("trainer.loss_weights.adversarial") > 0;
        var previousFrom = 0L;
        var stages = (JsonArray)Node(r, "trainer.schedule")!;
        for (var i = 0; i < stages.Count; i++)
        {
            var stagePath = $"trainer.schedule[{i}]";
            var stage = (JsonObject)stages[i]!;
            var from = TreeResolver.TryGetInteger((JsonValue)stage["from_epoch"]!, out var f) ? f : 0;
            if (from < 1)
            {
                Fail(stagePath + ".from_epoch", $"must be 1 or more (epochs are counted from 1), got {from}");
            }
            else if (from <= previousFrom)
            {
                Fail(stagePath + ".from_epoch", $"{from} does not come after the previous stage's {previousFrom}; stages must start at increasing epochs");
            }
            else if (from > I("trainer.epochs"))
            {
                Fail(stagePath + ".from_epoch", $"{from} is after the last epoch ({I("trainer.epochs")}): the stage would never apply");
            }

            previousFrom = Math.Max(previousFrom, from);
            if (stage["lr"] is JsonValue stageLr && (TreeResolver.TryGetDouble(stageLr, out var lrValue) ? lrValue : 0) <= 0)
            {
                Fail(stagePath + ".lr", "must be positive");
            }

            foreach (var (key, value) in (JsonObject)stage["loss_weights"]!)
            {
                var weight = TreeResolver.TryGetDouble((JsonValue)value!, out var w) ? w : 0;
                if (weight < 0)
                {
                    Fail($"{stagePath}.loss_weights.{key}", "must not be negative");
                }

                adversarial |= key == "adversarial" && weight > 0;
            }
        }

        if (adversarial && !B("model.discriminator.enabled"))
        {
            Fail("model.discriminator.enabled", "must be true: an adversarial loss weight is positive (in trainer.loss_weights or a schedule stage)");
        }

        NotNegative("trainer.schedule_ramp_epochs");
        if (D("trainer.lr") <= 0)
        {
            Fail("trainer.lr", "must be positive");
        }

        var betas = (JsonArray)Node(r, "trainer.betas")!;
        for (var i = 0; i < betas.Count; i++)
        {
            var beta = TreeResolver.TryGetDouble((JsonValue)betas[i]!, out var b) ? b : 0;
            if (beta is < 0 or >= 1)
            {
                Fail($"trainer.betas[{i}]", "must lie in [0, 1)");
            }
        }

        NotNegative("trainer.weight_decay");
        NotNegative("trainer.input_noise_sigma");
        NotNegative("trainer.lr_t_max_epochs");
        NotNegative("trainer.lr_min");
        if (D("trainer.lr_min") >= D("trainer.lr") && D("trainer.lr") > 0)
        {
            Fail("trainer.lr_min", $"must be below trainer.lr ({D("trainer.lr").ToString("R", CultureInfo.InvariantCulture)}): the schedule falls from lr to lr_min");
        }

        if (B("trainer.anti_collapse.enabled"))
        {
            NotNegative("trainer.anti_collapse.threshold");
            Positive("trainer.anti_collapse.patience");
            if (D("trainer.anti_collapse.factor") is <= 0 or >= 1)
            {
                Fail("trainer.anti_collapse.factor", "must lie in (0, 1): content grows by 1 + factor and recon shrinks by 1 - factor");
            }

            NotNegative("trainer.anti_collapse.min_recon");
            if (D("trainer.anti_collapse.max_content") <= 0)
            {
                Fail("trainer.anti_collapse.max_content", "must be positive");
            }
        }

        if (S("model.identity_init") == "zero_decoder" && !B("model.identity"))
        {
            Fail("model.identity_init", "zero_decoder needs model.identity: true (a zeroed decoder without the identity outputs only its bias)");
        }

        if (S("model.missing_skip_width") == "half_input" && S("model.skip_mode") == "concat")
        {
            // Zeros of half the input width only fit where a real skip has that width too, or where no skip is ever given.
            var encoder = L("model.encoder.features");
            var anySkips = B("trainer.same_domain_use_skip") || S("trainer.cross_skips") is "input" or "target" or "zeros" or "mixed";
            foreach (var decoder in new[] { "model.decoder_a", "model.decoder_b" })
            {
                var features = L(decoder + ".features");
                for (var i = 1; i < features.Length && anySkips && features.Length == encoder.Length; i++)
                {
                    var skip = encoder[encoder.Length - 1 - i];
                    if (features[i - 1] / 2 != skip)
                    {
                        Fail("model.missing_skip_width", $"half_input needs every skip to be half its block's input, but {decoder}.features[{i - 1}] = {features[i - 1]} meets a {skip}-channel encoder skip; use skip, or give no skips anywhere (trainer.same_domain_use_skip: false, trainer.cross_skips: none)");
                        break;
                    }
                }
            }
        }
        NotNegative("trainer.warmup_steps");
        NotNegative("trainer.grad_clip");
        Positive("trainer.checkpoint_every_epochs");
        if (S("trainer.mode") is "supervised" or "supervised_cross" && S("data.kind") == "npy")
        {
            Fail("trainer.mode", $"{S("trainer.mode")} needs clean targets, which only synthetic data has");
        }

        NotNegative("evaluation.panels");
        if (I("evaluation.panels") > I("data.val_samples") && I("data.val_samples") > 0)
        {
            Fail("evaluation.panels", $"{I("evaluation.panels")} is more than data.val_samples ({I("data.val_samples")})");
        }

        if (I("evaluation.trend_epochs") < 2)
        {
            Fail("evaluation.trend_epochs", "must be at least 2: a slope needs two points");
        }

        return errors;
    }

    private static JsonNode? Node(JsonObject root, string dottedPath)
    {
        JsonNode? node = root;
        foreach (var part in dottedPath.Split('.'))
        {
            node = node![part];
        }

        return node;
    }
}
