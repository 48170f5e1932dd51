using SweepCluster.Torch.Serialization;
using F = SweepCluster.Torch.Functional;

namespace SweepCluster.Torch.Tests;

/// <summary>
/// Every op's forward value and gradient against PyTorch on the same libtorch, from the same random
/// inputs. Tolerance: rtol 1e-4, atol 1e-5 (float32; both sides run the same kernels, the slack
/// covers summation order in reductions and multithreaded kernels).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OpParityTests : IClassFixture<OpParityTests.Reference>
{
    private const double Rtol = 1e-4;
    private const double Atol = 1e-5;

    private readonly Reference _reference;

    public OpParityTests(Reference reference) => _reference = reference;

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_and_gradient_match_pytorch(string name)
    {
        using var scope = Torch.NewDisposeScope();
        var (inputs, op) = Cases[name];
        var tensors = _reference.Inputs[name];
        var leaves = tensors.ToDictionary(p => p.Key, p => p.Value.Clone().RequiresGradient(), StringComparer.Ordinal);
        var output = op(leaves);
        var weight = _reference.Weights[name];
        (output * weight).Sum().Backward();

        var expected = _reference.Results[name];
        TensorAssert.Close((Tensor)expected["out"]!, output.Detach(), Rtol, Atol, $"{name} forward");
        foreach (var input in inputs)
        {
            if (expected.TryGetValue("grad." + input, out var grad))
            {
                var ours = leaves[input].Grad;
                Assert.True(ours is not null, $"{name}: no gradient for '{input}' but PyTorch has one");
                TensorAssert.Close((Tensor)grad!, ours!, Rtol, Atol, $"{name} gradient of {input}");
            }
        }
    }

    private static readonly Dictionary<string, (string[] Inputs, Func<Dictionary<string, Tensor>, Tensor> Op)> Cases = new(StringComparer.Ordinal)
    {
        ["add"] = (["x", "y"], t => t["x"] + t["y"]),
        ["sub"] = (["x", "y"], t => t["x"] - t["y"]),
        ["mul"] = (["x", "y"], t => t["x"] * t["y"]),
        ["div"] = (["x", "y"], t => t["x"] / (t["y"].Abs() + 0.5)),
        ["scalar_ops"] = (["x"], t => ((2.5 - t["x"]) * 3.0) + (t["x"] / 4.0) - (1.0 / (t["x"].Abs() + 1.0))),
        ["abs"] = (["x"], t => t["x"].Abs()),
        ["pow"] = (["x"], t => (t["x"].Abs() + 0.1).Pow(1.7)),
        ["pow_tensor"] = (["x", "y"], t => (t["x"].Abs() + 0.1).Pow(t["y"])),
        ["sqrt"] = (["x"], t => (t["x"].Abs() + 0.1).Sqrt()),
        ["exp"] = (["x"], t => t["x"].Exp()),
        ["log"] = (["x"], t => (t["x"].Abs() + 0.1).Log()),
        ["clamp"] = (["x"], t => t["x"].Clamp(-0.5, 0.7)),
        ["sum_dims"] = (["x"], t => t["x"].Sum([1, 2], keepDim: true)),
        ["mean_dims"] = (["x"], t => t["x"].Mean([0, 2])),
        ["max_all"] = (["x"], t => t["x"].Max()),
        ["min_dim"] = (["x"], t => t["x"].Min([1])),
        ["std_dim"] = (["x"], t => t["x"].Std([2])),
        ["std_biased"] = (["x"], t => t["x"].Std(unbiased: false)),
        ["matmul"] = (["a", "b"], t => t["a"].Matmul(t["b"])),
        ["reshape_permute"] = (["x"], t => t["x"].Reshape(4, 6).Permute(1, 0) * 2.0),
        ["narrow_cat_stack"] = (["x"], t => Tensor.Cat([t["x"].Narrow(2, 1, 2), Tensor.Stack([t["x"].Select(2, 0), t["x"].Select(2, 3)], 2)], 2)),
        ["pad_reflect"] = (["img"], t => t["img"].Pad([1, 2, 2, 1], PadMode.Reflect)),
        ["pad_constant"] = (["img"], t => t["img"].Pad([1, 1, 0, 2], PadMode.Constant, 0.5)),
        ["conv2d"] = (["img", "w", "b"], t => F.Conv2d(t["img"], t["w"], t["b"], stride: 1, padding: 1)),
        ["conv2d_stride"] = (["img", "w"], t => F.Conv2d(t["img"], t["w"], null, stride: 2)),
        ["conv_transpose2d"] = (["img", "wt", "bt"], t => F.ConvTranspose2d(t["img"], t["wt"], t["bt"], stride: 2)),
        ["max_pool2d"] = (["img"], t => F.MaxPool2d(t["img"], 2)),
        ["avg_pool2d"] = (["img"], t => F.AvgPool2d(t["img"], 2)),
        ["interp_nearest"] = (["img"], t => F.Interpolate(t["img"], 10, 14)),
        ["interp_bilinear"] = (["img"], t => F.Interpolate(t["img"], 11, 7, InterpolationMode.Bilinear, alignCorners: false)),
        ["interp_bilinear_scale"] = (["img"], t => F.Interpolate(t["img"], 2.0, InterpolationMode.Bilinear, alignCorners: false)),
        ["group_norm"] = (["img", "gw", "gb"], t => F.GroupNorm(t["img"], 1, t["gw"], t["gb"])),
        ["group_norm_groups"] = (["img4", "gw4", "gb4"], t => F.GroupNorm(t["img4"], 2, t["gw4"], t["gb4"])),
        ["batch_norm_train"] = (["img", "gw", "gb"], t => F.BatchNorm(t["img"], Tensor.Zeros([3]), Tensor.Ones([3]), t["gw"], t["gb"], training: true)),
        ["relu"] = (["x"], t => F.Relu(t["x"])),
        ["leaky_relu"] = (["x"], t => F.LeakyRelu(t["x"], 0.2)),
        ["sigmoid"] = (["x"], t => F.Sigmoid(t["x"])),
        ["tanh"] = (["x"], t => F.Tanh(t["x"])),
        ["linear"] = (["a", "lw", "lb"], t => F.Linear(t["a"], t["lw"], t["lb"])),
        ["l1_loss"] = (["x", "y2"], t => F.L1Loss(t["x"], t["y2"])),
        ["mse_loss"] = (["x", "y2"], t => F.MseLoss(t["x"], t["y2"])),
        ["mse_loss_sum"] = (["x", "y2"], t => F.MseLoss(t["x"], t["y2"], Reduction.Sum)),
        ["bce_logits"] = (["x", "p"], t => F.BinaryCrossEntropyWithLogits(t["x"], t["p"])),
    };

    /// <summary>Draws every case's inputs once, runs PyTorch on them once, and keeps both for the theory rows.</summary>
    public sealed class Reference : IDisposable
    {
        private readonly TempDirectory _directory = new();

        public Reference()
        {
            using var generator = new Generator(20261122);
            var pool = new Dictionary<string, Tensor>(StringComparer.Ordinal)
            {
                ["x"] = Tensor.Randn([2, 3, 4], generator),
                ["y"] = Tensor.Randn([3, 1], generator),
                ["y2"] = Tensor.Randn([2, 3, 4], generator),
                ["p"] = Tensor.Rand([2, 3, 4], generator),
                ["a"] = Tensor.Randn([5, 6], generator),
                ["b"] = Tensor.Randn([6, 4], generator),
                ["img"] = Tensor.Randn([2, 3, 8, 10], generator),
                ["img4"] = Tensor.Randn([2, 4, 6, 6], generator),
                ["w"] = Tensor.Randn([5, 3, 3, 3], generator),
                ["b"] = Tensor.Randn([5], generator),
                ["wt"] = Tensor.Randn([3, 4, 2, 2], generator),
                ["bt"] = Tensor.Randn([4], generator),
                ["gw"] = Tensor.Randn([3], generator),
                ["gb"] = Tensor.Randn([3], generator),
                ["gw4"] = Tensor.Randn([4], generator),
                ["gb4"] = Tensor.Randn([4], generator),
                ["lw"] = Tensor.Randn([3, 6], generator),
                ["lb"] = Tensor.Randn([3], generator),
            };
            // "b" is both the matmul operand and a conv bias: give the matmul its own.
            pool["b_mat"] = Tensor.Randn([6, 4], generator);

            var file = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (name, (inputs, op)) in Cases)
            {
                var chosen = inputs.ToDictionary(i => i, i => name == "matmul" && i == "b" ? pool["b_mat"] : pool[i], StringComparer.Ordinal);
                Inputs[name] = chosen;
                Tensor output;
                using (Torch.NoGrad())
                {
                    output = op(chosen);
                }

                Weights[name] = Tensor.Randn(output.Shape, generator);
                file[name] = new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["inputs"] = chosen.ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal),
                    ["weight"] = Weights[name],
                };
            }

            var inputPath = _directory.File("inputs.pt");
            var outputPath = _directory.File("outputs.pt");
            TorchFile.Save(inputPath, file);
            PythonReference.Run([PythonReference.ScriptPath("ops_reference.py"), inputPath, outputPath]);
            var results = (Dictionary<string, object?>)TorchFile.Load(outputPath)!;
            foreach (var (name, value) in results)
            {
                Results[name] = (Dictionary<string, object?>)value!;
            }
        }

        public Dictionary<string, Dictionary<string, Tensor>> Inputs { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Tensor> Weights { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, Dictionary<string, object?>> Results { get; } = new(StringComparer.Ordinal);

        public void Dispose() => _directory.Dispose();
    }
}
