using System.Globalization;
using System.Text.Json;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using SweepCluster.Torch;
using SweepCluster.Torch.Serialization;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The model's forward outputs, loss terms and per-module gradient norms after one backward pass, against an
/// independent PyTorch implementation (Reference/c2c_reference.py) loaded with our initial weights and fed the same
/// phantom batch. Tolerance rtol 1e-4, atol 1e-5 (float32 on the same libtorch kernels; the slack covers
/// summation order); gradient norms rtol 1e-3 (they sum thousands of squares).
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelParityTests
{
    private const double Rtol = 1e-4;
    private const double Atol = 1e-5;

    public static TheoryData<string> Variants() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Variants))]
    public void Forward_losses_and_gradients_match_pytorch(string variant)
    {
        var config = TinyConfig.Create(Cases[variant]);
        using var temp = new TempDirectory();
        using var scope = Torch.Torch.NewDisposeScope();
        var dataset = new PhantomDataset(config.Data, DataSplit.Train);
        var batch = new BatchLoader(dataset, 2, config.Data.Seed, shuffle: false).GetBatch(1, 0);
        using var generator = new Generator(7);
        using var model = new C2CModel(config.Model, config.Trainer, 1, generator);
        var xA = Tensor.FromArray(batch.NoisyA, batch.Shape);
        var xB = Tensor.FromArray(batch.NoisyB, batch.Shape);
        TorchFile.SaveStateDict(temp.File("state.pt"), model.StateDict());
        TorchFile.Save(temp.File("inputs.pt"), new Dictionary<string, object?>(StringComparer.Ordinal) { ["x_a"] = xA, ["x_b"] = xB });
        File.WriteAllText(temp.File("params.json"), Params(config));

        var outputs = model.Forward(xA, xB);
        var terms = C2CLosses.Compute(outputs, xA, xB, config.Trainer.LossWeights, config.Trainer, null);
        terms.Total.Backward();

        PythonReference.RunScript(Path.Combine(AppContext.BaseDirectory, "Reference", "c2c_reference.py"), temp.Path);
        var expected = (Dictionary<string, object?>)TorchFile.Load(temp.File("outputs.pt"))!;
        Tensor E(string name) => (Tensor)expected[name]!;
        TensorAssert.Close(E("x_a_recon"), outputs.XARecon.Detach(), Rtol, Atol, $"{variant} x_a_recon");
        TensorAssert.Close(E("x_b_recon"), outputs.XBRecon.Detach(), Rtol, Atol, $"{variant} x_b_recon");
        TensorAssert.Close(E("x_a_from_b"), outputs.XAFromB.Detach(), Rtol, Atol, $"{variant} x_a_from_b");
        TensorAssert.Close(E("x_b_from_a"), outputs.XBFromA.Detach(), Rtol, Atol, $"{variant} x_b_from_a");
        TensorAssert.Close(E("z_a"), outputs.EncodedA.Z.Detach(), Rtol, Atol, $"{variant} z_a");
        TensorAssert.Close(E("loss.content"), terms.Content.Detach(), Rtol, Atol, $"{variant} content");
        TensorAssert.Close(E("loss.recon"), terms.Recon.Detach(), Rtol, Atol, $"{variant} recon");
        TensorAssert.Close(E("loss.cross"), terms.Cross.Detach(), Rtol, Atol, $"{variant} cross");
        TensorAssert.Close(E("loss.edge"), terms.Edge.Detach(), Rtol, Atol, $"{variant} edge");
        TensorAssert.Close(E("loss.total"), terms.Total.Detach(), Rtol, Atol, $"{variant} total");
        foreach (var (name, parameters) in model.ParameterGroups())
        {
            var ours = C2CTrainer.GradientNorm(parameters);
            var theirs = E("grad_norm." + name).Item();
            Assert.True(ours > 0, $"{variant}: no gradient reaches {name}");
            Assert.True(Math.Abs(ours - theirs) <= 1e-3 * theirs, $"{variant}: gradient norm of {name} is {ours}, PyTorch {theirs}");
        }
    }

    private static readonly Dictionary<string, (string, System.Text.Json.Nodes.JsonNode?)[]> Cases = new(StringComparer.Ordinal)
    {
        ["concat_use_source_skip"] = [("trainer.cross_domain_strategy", "use_source_skip"), ("trainer.loss_weights.edge", 0.3)],
        ["no_skip_everywhere"] = [("trainer.cross_domain_strategy", "no_skip"), ("trainer.same_domain_use_skip", false), ("trainer.loss_weights.recon", 0.05)],
        ["noise_aware"] = [("model.architecture", "noise_aware"), ("trainer.cross_domain_strategy", "no_skip"), ("trainer.loss", "mse")],
        ["additive_mixed_identity"] = [("model.skip_mode", "additive"), ("model.skip_weight", 0.5), ("model.identity", true), ("trainer.cross_domain_strategy", "mixed_skip"), ("trainer.mixed_alpha", 0.3)],
        ["separate_target_skip"] = [("model.architecture", "separate"), ("trainer.cross_domain_strategy", "use_target_skip"), ("trainer.loss_weights.edge", 0.1)],
        ["additive_zero_skip_three_levels"] =
        [
            ("model.skip_mode", "additive"), ("trainer.cross_domain_strategy", "zero_skip"),
            ("model.encoder.features", new System.Text.Json.Nodes.JsonArray(4, 8, 16)),
            ("model.decoder_a.features", new System.Text.Json.Nodes.JsonArray(16, 8, 4)),
            ("model.decoder_b.features", new System.Text.Json.Nodes.JsonArray(16, 8, 4)),
        ],
    };

    private static string Params(TrialConfig config)
    {
        static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var m = config.Model;
        var t = config.Trainer;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architecture"] = Snake(m.Architecture.ToString()),
            ["channels"] = 1,
            ["enc_features"] = m.Encoder.Features,
            ["latent"] = m.Encoder.LatentChannels,
            ["dec_features"] = m.DecoderA.Features,
            ["noise_channels"] = m.NoiseChannels,
            ["skip_mode"] = Snake(m.SkipMode.ToString()),
            ["skip_weight"] = m.SkipWeight,
            ["identity"] = m.Identity,
            ["strategy"] = Snake(t.CrossDomainStrategy.ToString()),
            ["mixed_alpha"] = t.MixedAlpha,
            ["same_domain_use_skip"] = t.SameDomainUseSkip,
            ["loss"] = t.Loss == LossKind.Mse ? "mse" : "l1",
            ["weights"] = new Dictionary<string, double>
            {
                ["content"] = t.LossWeights.Content,
                ["recon"] = t.LossWeights.Recon,
                ["cross"] = t.LossWeights.Cross,
                ["edge"] = t.LossWeights.Edge,
            },
        });
    }
}
