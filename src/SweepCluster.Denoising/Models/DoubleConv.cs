using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// Twice conv3x3 (no bias) -> GroupNorm(1, C) -> ReLU, the UNet building block of the notes. The complex block
/// (<c>model.complex</c>) has the same layers, complex: <see cref="ComplexConv2d"/>, <see cref="ComplexGroupNorm"/>
/// and <see cref="ComplexReLU"/>, under the same state-dict names.
/// </summary>
public sealed class DoubleConv : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "net")]
    private readonly Sequential _net;

    public DoubleConv(int inChannels, int outChannels, bool complex = false)
        : base(nameof(DoubleConv))
    {
        InChannels = inChannels;
        OutChannels = outChannels;
        _net = complex
            ? nn.Sequential(
                new ComplexConv2d(inChannels, outChannels, 3, padding: 1, bias: false),
                new ComplexGroupNorm(1, outChannels),
                new ComplexReLU(),
                new ComplexConv2d(outChannels, outChannels, 3, padding: 1, bias: false),
                new ComplexGroupNorm(1, outChannels),
                new ComplexReLU())
            : nn.Sequential(
                Layers.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false),
                Layers.GroupNorm(1, outChannels),
                nn.ReLU(),
                Layers.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false),
                Layers.GroupNorm(1, outChannels),
                nn.ReLU());
        RegisterComponents();
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public override Tensor forward(Tensor input) => _net.forward(input);
}
