using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// DoubleConv(in, f0), then per further level max-pool 2 + DoubleConv(f_{i-1}, f_i), then a 1x1 bottleneck to the
/// latent. With <c>noiseChannels &gt; 0</c> (Solution 4) the bottleneck is the content head and a second 1x1
/// noise head reads the same backbone features.
/// <para>
/// Complex (<c>model.complex</c>): the input's channel halves are one complex image (real, then imaginary), every
/// layer is complex (<see cref="DoubleConv"/>, a <see cref="ComplexConv2d"/> bottleneck), max-pooling takes each part
/// on its own, and the latent is made real again as <c>cat([z.real, z.imag], 1)</c>: 2 * latent_channels channels,
/// on which the content loss is an ordinary real loss. The skips and the identity are complex tensors.
/// </para>
/// </summary>
public sealed class UNetEncoder : nn.Module<Tensor, EncoderOutput>
{
    [ComponentName(Name = "inc")]
    private readonly DoubleConv _inc;

    [ComponentName(Name = "downs")]
    private readonly ModuleList<DoubleConv> _downs;

    [ComponentName(Name = "bottleneck")]
    private readonly nn.Module<Tensor, Tensor> _bottleneck;

    [ComponentName(Name = "noise_head")]
    private readonly Conv2d? _noiseHead;

    /// <param name="inChannels">Input channels; complex channels when <paramref name="complex"/> (half the real ones).</param>
    public UNetEncoder(int inChannels, IReadOnlyList<int> features, int latentChannels, int noiseChannels, bool complex = false)
        : base(nameof(UNetEncoder))
    {
        ArgumentNullException.ThrowIfNull(features);
        if (complex && noiseChannels > 0)
        {
            throw new ArgumentException("The complex encoder has no noise head (model.complex with noise_aware is refused).", nameof(noiseChannels));
        }

        Features = features;
        Complex = complex;
        _inc = new DoubleConv(inChannels, features[0], complex);
        _downs = nn.ModuleList<DoubleConv>();
        for (var i = 1; i < features.Count; i++)
        {
            _downs.Add(new DoubleConv(features[i - 1], features[i], complex));
        }

        _bottleneck = Layers.Conv2d(complex, features[^1], latentChannels, 1);
        if (noiseChannels > 0)
        {
            _noiseHead = Layers.Conv2d(features[^1], noiseChannels, 1);
        }

        RegisterComponents();
    }

    /// <summary>Channels of each level, shallowest first (the channels of the skips).</summary>
    public IReadOnlyList<int> Features { get; }

    /// <summary>Whether the network is complex (<c>model.complex</c>).</summary>
    public bool Complex { get; }

    public override EncoderOutput forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var image = Complex ? ComplexTensors.FromHalves(input) : input;
        var x = _inc.forward(image);
        var skips = new List<Tensor> { x };
        foreach (var down in _downs)
        {
            x = down.forward(Complex ? ComplexTensors.PartWise(x, part => nn.functional.max_pool2d(part, 2)) : nn.functional.max_pool2d(x, 2));
            skips.Add(x);
        }

        var z = _bottleneck.forward(x);
        return new EncoderOutput(Complex ? ComplexTensors.ToHalves(z) : z, skips, image, _noiseHead?.forward(x));
    }
}
