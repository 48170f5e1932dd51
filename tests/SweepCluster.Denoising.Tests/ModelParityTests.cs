using System.Collections;
using System.Text.Json;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Models;
using SweepCluster.Denoising.Tests.Support;
using SweepCluster.Denoising.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The model's forward outputs, loss terms and per-module gradient norms after one backward pass, against an
/// independent PyTorch implementation (Reference/c2c_reference.py, Debian's PyTorch 1.13) loaded with our initial
/// weights (written by TorchSharp.PyBridge) and fed the same phantom batch. The two sides run different libtorch
/// versions (2.10 here, 1.13 there) and may pick different convolution kernels, but every operation is the same
/// float32 arithmetic up to the order of its sums, so they agree to rtol 1e-4, atol 1e-5; gradient norms rtol 1e-3
/// (they sum thousands of squares). The other direction holds too: weights PyTorch initialised and saved load here
/// and give PyTorch's outputs. The complex variants run the reference's complex UNet (complex64 convolutions of
/// PyTorch itself, complex arithmetic and the complex-tensor L1) on two-channel phase phantoms.
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
        Compare(variant, weightsFromPyTorch: false);
    }

    [Theory]
    [InlineData("concat_target_skips")]
    [InlineData("separate_input_skips")]
    [InlineData("noise_aware")]
    [InlineData("identity_zero_decoder")]
    [InlineData("no_skip_everywhere_half_input_zeros")]
    [InlineData("complex")]
    public void Weights_pytorch_initialised_and_saved_load_here_and_give_its_outputs(string variant) =>
        Compare(variant, weightsFromPyTorch: true);

    private static void Compare(string variant, bool weightsFromPyTorch)
    {
        var config = TinyConfig.Create(Cases[variant]);
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var dataset = new PhantomDataset(config.Data, DataSplit.Train);
        var batch = new BatchLoader(dataset, 2, config.Data.Seed, shuffle: false).GetBatch(1, 0);
        manual_seed(7);
        using var model = new C2CModel(config.Model, config.Trainer, dataset.Channels);
        var xA = tensor(batch.NoisyA, batch.Shape);
        var xB = tensor(batch.NoisyB, batch.Shape);
        if (!weightsFromPyTorch)
        {
            model.save_py(temp.File("state.pt"));
        }

        PyTorchPickler.PickleStateDict(temp.File("inputs.pt"), new Hashtable { ["x_a"] = xA, ["x_b"] = xB });
        File.WriteAllText(temp.File("params.json"), Params(config, dataset.Channels));
        PythonReference.RunScript(Path.Combine(AppContext.BaseDirectory, "Reference", "c2c_reference.py"), temp.Path);
        if (weightsFromPyTorch)
        {
            model.LoadPyTorchWeights(temp.File("torch_state.pt"));
        }

        var (inA, inB, scaleA, scaleB) = SliceScale.Apply(config.Trainer.CrossLossScale, xA, xB);
        var outputs = model.forward(inA, inB);
        var terms = C2CLosses.Compute(outputs, inA, inB, config.Trainer.LossWeights, config.Trainer, null, null, null, scaleA, scaleB);
        terms.Total.backward();

        Hashtable expected;
        using (var stream = File.OpenRead(temp.File("outputs.pt")))
        {
            expected = PyTorchUnpickler.UnpickleStateDict(stream);
        }

        Tensor E(string name) => (Tensor)expected[name]!;
        TensorAssert.Close(E("x_a_recon"), outputs.XARecon, Rtol, Atol, $"{variant} x_a_recon");
        TensorAssert.Close(E("x_b_recon"), outputs.XBRecon, Rtol, Atol, $"{variant} x_b_recon");
        TensorAssert.Close(E("x_a_from_b"), outputs.XAFromB, Rtol, Atol, $"{variant} x_a_from_b");
        TensorAssert.Close(E("x_b_from_a"), outputs.XBFromA, Rtol, Atol, $"{variant} x_b_from_a");
        TensorAssert.Close(E("z_a"), outputs.EncodedA.Z, Rtol, Atol, $"{variant} z_a");
        TensorAssert.Close(E("loss.content"), terms.Content, Rtol, Atol, $"{variant} content");
        TensorAssert.Close(E("loss.recon"), terms.Recon, Rtol, Atol, $"{variant} recon");
        TensorAssert.Close(E("loss.cross"), terms.Cross, Rtol, Atol, $"{variant} cross");
        TensorAssert.Close(E("loss.edge"), terms.Edge, Rtol, Atol, $"{variant} edge");
        TensorAssert.Close(E("loss.total"), terms.Total, Rtol, Atol, $"{variant} total");
        foreach (var (name, parameters) in model.ParameterGroups())
        {
            var ours = C2CTrainer.GradientNorm(parameters);
            var theirs = C2CTrainer.Item(E("grad_norm." + name));
            // A zeroed decoder with the identity starts with every L1 residual exactly 0, so no gradient reaches it (PyTorch agrees).
            Assert.True(ours > 0 || variant == "identity_zero_decoder", $"{variant}: no gradient reaches {name}");
            Assert.True(Math.Abs(ours - theirs) <= 1e-3 * theirs, $"{variant}: gradient norm of {name} is {ours}, PyTorch {theirs}");
        }
    }

    private static readonly Dictionary<string, (string, System.Text.Json.Nodes.JsonNode?)[]> Cases = new(StringComparer.Ordinal)
    {
        ["concat_target_skips"] = [("trainer.cross_skips", "target"), ("trainer.loss_weights.edge", 0.3)],
        ["concat_input_skips_median_scale"] = [("trainer.cross_skips", "input"), ("trainer.cross_loss_scale", "median"), ("trainer.loss_weights.edge", 0.2)],
        ["no_skip_everywhere"] = [("trainer.cross_skips", "none"), ("trainer.same_domain_use_skip", false), ("trainer.loss_weights.recon", 0.05)],
        ["no_skip_everywhere_half_input_zeros"] =
        [
            ("trainer.cross_skips", "none"), ("trainer.same_domain_use_skip", false), ("model.missing_skip_width", "half_input"),
            ("model.decoder_a.features", new System.Text.Json.Nodes.JsonArray(16, 8)),
            ("model.decoder_b.features", new System.Text.Json.Nodes.JsonArray(16, 8)),
        ],
        ["identity_zero_decoder"] = [("model.identity", true), ("model.identity_init", "zero_decoder"), ("trainer.cross_skips", "target")],
        ["noise_aware"] = [("model.architecture", "noise_aware"), ("trainer.cross_skips", "none"), ("trainer.loss", "mse")],
        ["additive_mixed_identity"] = [("model.skip_mode", "additive"), ("model.skip_weight", 0.5), ("model.identity", true), ("trainer.cross_skips", "mixed"), ("trainer.mixed_alpha", 0.3)],
        ["separate_input_skips"] = [("model.architecture", "separate"), ("trainer.cross_skips", "input"), ("trainer.loss_weights.edge", 0.1)],
        ["additive_zero_skip_three_levels"] =
        [
            ("model.skip_mode", "additive"), ("trainer.cross_skips", "zeros"),
            ("model.encoder.features", new System.Text.Json.Nodes.JsonArray(4, 8, 16)),
            ("model.decoder_a.features", new System.Text.Json.Nodes.JsonArray(16, 8, 4)),
            ("model.decoder_b.features", new System.Text.Json.Nodes.JsonArray(16, 8, 4)),
        ],
        ["complex"] = [("model.complex", true), ("data.phase", 0.8), ("trainer.cross_skips", "target"), ("trainer.loss_weights.edge", 0.3)],
        ["complex_additive_mixed_identity_mse"] =
        [
            ("model.complex", true), ("data.phase", 1.5), ("model.skip_mode", "additive"), ("model.skip_weight", 0.5),
            ("model.identity", true), ("trainer.cross_skips", "mixed"), ("trainer.mixed_alpha", 0.3),
            ("trainer.loss", "mse"), ("trainer.loss_weights.edge", 0.1),
        ],
        ["complex_separate_no_skip_real_imag"] =
        [
            ("model.complex", true), ("data.representation", "real_imag"), ("model.architecture", "separate"),
            ("trainer.same_domain_use_skip", false),
        ],
    };

    private static string Params(TrialConfig config, int channels)
    {
        static string Snake(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var m = config.Model;
        var t = config.Trainer;
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["architecture"] = Snake(m.Architecture.ToString()),
            ["channels"] = channels,
            ["complex"] = m.Complex,
            ["enc_features"] = m.Encoder.Features,
            ["latent"] = m.Encoder.LatentChannels,
            ["dec_features"] = m.DecoderA.Features,
            ["noise_channels"] = m.NoiseChannels,
            ["skip_mode"] = Snake(m.SkipMode.ToString()),
            ["skip_weight"] = m.SkipWeight,
            ["identity"] = m.Identity,
            ["cross_skips"] = Snake(t.CrossSkips.ToString()),
            ["cross_loss_scale"] = Snake(t.CrossLossScale.ToString()),
            ["missing_skip_width"] = Snake(m.MissingSkipWidth.ToString()),
            ["identity_init"] = Snake(m.IdentityInit.ToString()),
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
