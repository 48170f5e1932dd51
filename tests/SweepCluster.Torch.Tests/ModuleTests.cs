using SweepCluster.Torch.Nn;
using SweepCluster.Torch.Serialization;

namespace SweepCluster.Torch.Tests;

[Trait("Category", "Integration")]
public sealed class ModuleTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Named_parameters_and_buffers_follow_pytorch_naming()
    {
        using var net = new Net();
        Assert.Equal(
            ["conv.weight", "norm.weight", "norm.bias", "bn.weight", "bn.bias", "up.weight", "up.bias", "head.weight", "head.bias"],
            net.NamedParameters().Select(p => p.Key));
        Assert.Equal(["bn.running_mean", "bn.running_var", "bn.num_batches_tracked"], net.NamedBuffers().Select(p => p.Key));
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void State_written_here_loads_in_pytorch_and_pytorch_state_loads_here()
    {
        using var scope = Torch.NewDisposeScope();
        using var net = new Net(new Generator(1));
        net.Eval();
        var ours = _directory.File("ours.pt");
        var input = _directory.File("input.pt");
        var output = _directory.File("output.pt");
        var theirs = _directory.File("theirs.pt");
        net.Save(ours);
        var x = Tensor.Randn([2, 2, 6, 6], new Generator(2));
        TorchFile.Save(input, new Dictionary<string, object?> { ["x"] = x });
        PythonReference.Run([PythonReference.ScriptPath("module_reference.py"), ours, input, output, theirs]);

        // PyTorch ran our weights: same output as ours.
        var expected = (Tensor)((Dictionary<string, object?>)TorchFile.Load(output)!)["y"]!;
        using (Torch.NoGrad())
        {
            TensorAssert.Close(expected, net.Forward(x), 1e-5, 1e-6, "PyTorch forward with our weights");
        }

        // PyTorch's freshly initialised weights load here (strict) and change ours to theirs.
        var state = TorchFile.LoadStateDict(theirs);
        net.LoadStateDict(state);
        foreach (var (name, tensor) in net.StateDict())
        {
            TensorAssert.Close(state[name], tensor, 0, 0, name);
        }
    }

    [Fact]
    public void Loading_a_state_with_a_wrong_shape_names_the_key_and_changes_nothing()
    {
        using var scope = Torch.NewDisposeScope();
        using var net = new Net(new Generator(1));
        var before = net.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone());
        var state = net.StateDict().ToDictionary(p => p.Key, p => p.Value.Clone());
        state["head.weight"] = Tensor.Zeros([5, 3]);
        state["conv.weight"] = Tensor.Zeros(state["conv.weight"].Shape);
        var error = Assert.Throws<InvalidOperationException>(() => net.LoadStateDict(state));
        Assert.Contains("head.weight", error.Message, StringComparison.Ordinal);
        foreach (var (name, tensor) in net.StateDict())
        {
            TensorAssert.Close(before[name], tensor, 0, 0, name);
        }

        state.Remove("head.weight");
        Assert.Contains("missing key 'head.weight'", Assert.Throws<InvalidOperationException>(() => net.LoadStateDict(state)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_eval_switch_every_child()
    {
        using var net = new Net();
        net.Eval();
        Assert.False(net.IsTraining);
        Assert.All(net.NamedChildren(), c => Assert.False(c.Value.IsTraining));
        net.Train();
        Assert.All(net.NamedChildren(), c => Assert.True(c.Value.IsTraining));
    }

    [Fact]
    public void Sequential_names_children_by_index()
    {
        using var seq = new Sequential(new Conv2d(1, 2, 3), Activation.Relu(), new Conv2d(2, 1, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.NamedParameters().Select(p => p.Key));
        using var scope = Torch.NewDisposeScope();
        Assert.Equal([1L, 1, 4, 4], seq.Forward(Tensor.Zeros([1, 1, 6, 6])).Shape);
    }

    [Fact]
    public void Initialisers_with_a_seeded_generator_are_reproducible_and_have_the_right_spread()
    {
        using var scope = Torch.NewDisposeScope();
        var a = Tensor.Zeros([256, 128, 3, 3]);
        var b = Tensor.Zeros([256, 128, 3, 3]);
        Init.KaimingNormal(a, generator: new Generator(9));
        Init.KaimingNormal(b, generator: new Generator(9));
        TensorAssert.Close(a, b, 0, 0, "same seed");
        // He normal: std = sqrt(2 / fan_in), fan_in = 128 * 9.
        Assert.Equal(Math.Sqrt(2.0 / (128 * 9)), a.Std().Item(), 3);
        Init.XavierUniform(a, generator: new Generator(3));
        // Xavier uniform: bound = sqrt(6 / (fan_in + fan_out)).
        Assert.Equal(Math.Sqrt(6.0 / ((128 * 9) + (256 * 9))), a.Max().Item(), 3);
    }

    private sealed class Net : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv;
        private readonly GroupNorm _norm;
        private readonly BatchNorm2d _bn;
        private readonly ConvTranspose2d _up;
        private readonly Linear _head;

        public Net(Generator? generator = null)
        {
            _conv = RegisterModule("conv", new Conv2d(2, 4, 3, padding: 1, bias: false, generator: generator));
            _norm = RegisterModule("norm", new GroupNorm(1, 4));
            _bn = RegisterModule("bn", new BatchNorm2d(4));
            _up = RegisterModule("up", new ConvTranspose2d(4, 3, 2, stride: 2, generator: generator));
            _head = RegisterModule("head", new Linear(3, 2, generator: generator));
        }

        public override Tensor Forward(Tensor input)
        {
            var x = _norm.Forward(_conv.Forward(input)).Relu();
            x = _up.Forward(_bn.Forward(x));
            return _head.Forward(x.Mean([2, 3]));
        }
    }
}
