using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// PatchGAN (Solution D): per feature width a 4x4 stride-2 conv (padding 1) and LeakyReLU(0.2), then a 3x3 conv to
/// one channel of logits, one per patch. It is trained to call same-domain reconstructions real (1) and
/// cross-domain ones fake (0).
/// </summary>
public sealed class PatchDiscriminator : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "net")]
    private readonly Sequential _net;

    public PatchDiscriminator(int inChannels, IReadOnlyList<int> features)
        : base(nameof(PatchDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(features);
        var layers = new List<nn.Module<Tensor, Tensor>>();
        var previous = inChannels;
        foreach (var width in features)
        {
            layers.Add(Layers.Conv2d(previous, width, 4, stride: 2, padding: 1));
            layers.Add(new HeldLeakyReLU(0.2));
            previous = width;
        }

        layers.Add(Layers.Conv2d(previous, 1, 3, padding: 1));
        _net = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => _net.forward(input);
}
