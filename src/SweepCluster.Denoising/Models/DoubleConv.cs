using SweepCluster.Torch;
using SweepCluster.Torch.Nn;

namespace SweepCluster.Denoising.Models;

/// <summary>Twice conv3x3 (no bias) -> GroupNorm(1, C) -> ReLU, the UNet building block of the notes.</summary>
public sealed class DoubleConv : Module<Tensor, Tensor>
{
    private readonly Sequential _net;

    public DoubleConv(int inChannels, int outChannels, Generator? generator)
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        _net = RegisterModule("net", new Sequential(
            new Conv2d(inChannels, outChannels, 3, padding: 1, bias: false, generator: generator),
            new GroupNorm(1, outChannels),
            Activation.Relu(),
            new Conv2d(outChannels, outChannels, 3, padding: 1, bias: false, generator: generator),
            new GroupNorm(1, outChannels),
            Activation.Relu()));
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public override Tensor Forward(Tensor input) => _net.Forward(input);
}
