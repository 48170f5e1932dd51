using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// DoubleConv(in, f0), then per further level max-pool 2 + DoubleConv(f_{i-1}, f_i), then a 1x1 bottleneck to the
/// latent. With <c>noiseChannels &gt; 0</c> (Solution 4) the bottleneck is the content head and a second 1x1
/// noise head reads the same backbone features.
/// </summary>
public sealed class UNetEncoder : nn.Module<Tensor, EncoderOutput>
{
    [ComponentName(Name = "inc")]
    private readonly DoubleConv _inc;

    [ComponentName(Name = "downs")]
    private readonly ModuleList<DoubleConv> _downs;

    [ComponentName(Name = "bottleneck")]
    private readonly Conv2d _bottleneck;

    [ComponentName(Name = "noise_head")]
    private readonly Conv2d? _noiseHead;

    public UNetEncoder(int inChannels, IReadOnlyList<int> features, int latentChannels, int noiseChannels)
        : base(nameof(UNetEncoder))
    {
        ArgumentNullException.ThrowIfNull(features);
        Features = features;
        _inc = new DoubleConv(inChannels, features[0]);
        _downs = nn.ModuleList<DoubleConv>();
        for (var i = 1; i < features.Count; i++)
        {
            _downs.Add(new DoubleConv(features[i - 1], features[i]));
        }

        _bottleneck = Layers.Conv2d(features[^1], latentChannels, 1);
        if (noiseChannels > 0)
        {
            _noiseHead = Layers.Conv2d(features[^1], noiseChannels, 1);
        }

        RegisterComponents();
    }

    /// <summary>Channels of each level, shallowest first (the channels of the skips).</summary>
    public IReadOnlyList<int> Features { get; }

    public override EncoderOutput forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = _inc.forward(input);
        var skips = new List<Tensor> { x };
        foreach (var down in _downs)
        {
            x = down.forward(nn.functional.max_pool2d(x, 2));
            skips.Add(x);
        }

        return new EncoderOutput(_bottleneck.forward(x), skips, input, _noiseHead?.forward(x));
    }
}
