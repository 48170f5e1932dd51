using SweepCluster.Torch;
using SweepCluster.Torch.Nn;
using SweepCluster.Torch.Optim;

namespace SweepCluster.Benchmarks;

/// <summary>The benchmark's model and step: identical to Reference/unet_step.py.</summary>
internal sealed class UNetStep : IDisposable
{
    private readonly UNet _model;
    private readonly Adam _optimizer;
    private readonly Tensor _input;
    private readonly Tensor _target;

    public UNetStep()
    {
        Torch.Torch.ManualSeed(0);
        _model = new UNet([32, 64, 128]);
        _optimizer = new Adam(_model.Parameters(), lr: 1e-3);
        using var generator = new Generator(1);
        _input = Tensor.Randn([8, 1, 64, 64], generator).DetachFromScope();
        _target = Tensor.Randn([8, 1, 64, 64], generator).DetachFromScope();
    }

    public double Step()
    {
        using var scope = Torch.Torch.NewDisposeScope();
        _optimizer.ZeroGrad();
        var loss = Functional.L1Loss(_model.Forward(_input), _target);
        loss.Backward();
        _optimizer.Step();
        return loss.Item();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _input.Dispose();
        _target.Dispose();
    }

    private sealed class DoubleConv : Module<Tensor, Tensor>
    {
        private readonly Conv2d _c1;
        private readonly GroupNorm _n1;
        private readonly Conv2d _c2;
        private readonly GroupNorm _n2;

        public DoubleConv(int input, int output)
        {
            _c1 = RegisterModule("c1", new Conv2d(input, output, 3, padding: 1, bias: false));
            _n1 = RegisterModule("n1", new GroupNorm(1, output));
            _c2 = RegisterModule("c2", new Conv2d(output, output, 3, padding: 1, bias: false));
            _n2 = RegisterModule("n2", new GroupNorm(1, output));
        }

        public override Tensor Forward(Tensor input) =>
            _n2.Forward(_c2.Forward(_n1.Forward(_c1.Forward(input)).Relu())).Relu();
    }

    private sealed class UNet : Module<Tensor, Tensor>
    {
        private readonly List<DoubleConv> _downs = [];
        private readonly List<ConvTranspose2d> _ups = [];
        private readonly List<DoubleConv> _upConvs = [];
        private readonly Conv2d _out;

        public UNet(int[] features)
        {
            var channels = 1;
            for (var i = 0; i < features.Length; i++)
            {
                _downs.Add(RegisterModule($"down{i}", new DoubleConv(channels, features[i])));
                channels = features[i];
            }

            for (var i = features.Length - 2; i >= 0; i--)
            {
                _ups.Add(RegisterModule($"up{i}", new ConvTranspose2d(channels, features[i], 2, stride: 2)));
                _upConvs.Add(RegisterModule($"upconv{i}", new DoubleConv(2 * features[i], features[i])));
                channels = features[i];
            }

            _out = RegisterModule("out", new Conv2d(channels, 1, 1));
        }

        public override Tensor Forward(Tensor input)
        {
            var skips = new List<Tensor>();
            var x = input;
            for (var i = 0; i < _downs.Count; i++)
            {
                if (i > 0)
                {
                    x = Functional.MaxPool2d(x, 2);
                }

                x = _downs[i].Forward(x);
                skips.Add(x);
            }

            for (var i = 0; i < _ups.Count; i++)
            {
                var skip = skips[skips.Count - 2 - i];
                x = _upConvs[i].Forward(Tensor.Cat([skip, _ups[i].Forward(x)], 1));
            }

            return _out.Forward(x);
        }
    }
}
