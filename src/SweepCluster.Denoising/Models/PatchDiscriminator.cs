using SweepCluster.Torch;
using SweepCluster.Torch.Nn;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// PatchGAN (Solution D): per feature width a 4x4 stride-2 conv (padding 1) and LeakyReLU(0.2), then a 3x3 conv to
/// one channel of logits, one per patch. It is trained to call same-domain reconstructions real (1) and
/// cross-domain ones fake (0).
/// </summary>
public sealed class PatchDiscriminator : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public PatchDiscriminator(int inChannels, IReadOnlyList<int> features, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(features);
        _net = RegisterModule("net", new Sequential());
        var previous = inChannels;
        foreach (var width in features)
        {
            _net.Add(new Conv2d(previous, width, 4, stride: 2, padding: 1, generator: generator));
            _net.Add(Activation.LeakyRelu(0.2));
            previous = width;
        }

        _net.Add(new Conv2d(previous, 1, 3, padding: 1, generator: generator));
    }

    public override Tensor Forward(Tensor input) => _net.Forward(input);
}
