using SweepCluster.Denoising.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Benchmarks;

/// <summary>The benchmark's model and step: identical to Reference/unet_step.py.</summary>
internal sealed class UNetStep : IDisposable
{
    private readonly UNet _model;
    private readonly OptimizerHelper _optimizer;
    private readonly Tensor _input;
    private readonly Tensor _target;

    public UNetStep()
    {
        manual_seed(0);
        _model = new UNet([32, 64, 128]);
        _optimizer = optim.Adam(_model.parameters(), lr: 1e-3);
        var generator = new Generator(1);
        _input = randn([8, 1, 64, 64], generator: generator);
        _target = randn([8, 1, 64, 64], generator: generator);
    }

    public double Step()
    {
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        var loss = nn.functional.l1_loss(_model.forward(_input), _target);
        loss.backward();
        _optimizer.step();
        return loss.item<float>();
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _input.Dispose();
        _target.Dispose();
    }

    private sealed class DoubleConv : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _c1;
        private readonly GroupNorm _n1;
        private readonly Conv2d _c2;
        private readonly GroupNorm _n2;

        public DoubleConv(int input, int output)
            : base(nameof(DoubleConv))
        {
            _c1 = Layers.Conv2d(input, output, 3, padding: 1, bias: false);
            _n1 = Layers.GroupNorm(1, output);
            _c2 = Layers.Conv2d(output, output, 3, padding: 1, bias: false);
            _n2 = Layers.GroupNorm(1, output);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) =>
            _n2.forward(_c2.forward(_n1.forward(_c1.forward(input)).relu())).relu();
    }

    private sealed class UNet : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<DoubleConv> _downs = nn.ModuleList<DoubleConv>();
        private readonly ModuleList<ConvTranspose2d> _ups = nn.ModuleList<ConvTranspose2d>();
        private readonly ModuleList<DoubleConv> _upConvs = nn.ModuleList<DoubleConv>();
        private readonly Conv2d _out;

        public UNet(int[] features)
            : base(nameof(UNet))
        {
            var channels = 1;
            for (var i = 0; i < features.Length; i++)
            {
                _downs.Add(new DoubleConv(channels, features[i]));
                channels = features[i];
            }

            for (var i = features.Length - 2; i >= 0; i--)
            {
                _ups.Add(Layers.ConvTranspose2d(channels, features[i], 2, stride: 2));
                _upConvs.Add(new DoubleConv(2 * features[i], features[i]));
                channels = features[i];
            }

            _out = Layers.Conv2d(channels, 1, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var skips = new List<Tensor>();
            var x = input;
            for (var i = 0; i < _downs.Count; i++)
            {
                if (i > 0)
                {
                    x = nn.functional.max_pool2d(x, 2);
                }

                x = _downs[i].forward(x);
                skips.Add(x);
            }

            for (var i = 0; i < _ups.Count; i++)
            {
                var skip = skips[skips.Count - 2 - i];
                x = _upConvs[i].forward(cat([skip, _ups[i].forward(x)], 1));
            }

            return _out.forward(x);
        }
    }
}
