using SweepCluster.Torch;
using SweepCluster.Torch.Nn;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// DoubleConv(in, f0), then per further level max-pool 2 + DoubleConv(f_{i-1}, f_i), then a 1x1 bottleneck to the
/// latent. With <c>noiseChannels &gt; 0</c> (Solution 4) the bottleneck is the content head and a second 1x1
/// noise head reads the same backbone features.
/// </summary>
public sealed class UNetEncoder : Module<Tensor, EncoderOutput>
{
    private readonly DoubleConv _inc;
    private readonly ModuleList<DoubleConv> _downs;
    private readonly Conv2d _bottleneck;
    private readonly Conv2d? _noiseHead;

    public UNetEncoder(int inChannels, IReadOnlyList<int> features, int latentChannels, int noiseChannels, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(features);
        Features = features;
        _inc = RegisterModule("inc", new DoubleConv(inChannels, features[0], generator));
        _downs = RegisterModule("downs", new ModuleList<DoubleConv>());
        for (var i = 1; i < features.Count; i++)
        {
            _downs.Add(new DoubleConv(features[i - 1], features[i], generator));
        }

        _bottleneck = RegisterModule("bottleneck", new Conv2d(features[^1], latentChannels, 1, generator: generator));
        if (noiseChannels > 0)
        {
            _noiseHead = RegisterModule("noise_head", new Conv2d(features[^1], noiseChannels, 1, generator: generator));
        }
    }

    /// <summary>Channels of each level, shallowest first (the channels of the skips).</summary>
    public IReadOnlyList<int> Features { get; }

    public override EncoderOutput Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = _inc.Forward(input);
        var skips = new List<Tensor> { x };
        for (var i = 0; i < _downs.Count; i++)
        {
            x = _downs[i].Forward(Functional.MaxPool2d(x, 2));
            skips.Add(x);
        }

        return new EncoderOutput(_bottleneck.Forward(x), skips, input, _noiseHead?.Forward(x));
    }
}
