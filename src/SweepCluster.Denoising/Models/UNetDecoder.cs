using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// A 1x1 <c>expand</c> from the latent to the deepest feature count, one <see cref="UpBlock"/> per further level
/// (features deepest first), a 1x1 output conv and an optional identity residual. Up block i (0-based) takes the
/// encoder skip of its output resolution: with L levels and skips shallowest first, <c>skips[L - 2 - i]</c>.
/// A complex decoder (<c>model.complex</c>) reads the real latent's channel halves as one complex latent, runs
/// complex layers (skips and identity complex) and returns the complex output as real channel halves [real, imag].
/// </summary>
public sealed class UNetDecoder : nn.Module
{
    [ComponentName(Name = "expand")]
    private readonly nn.Module<Tensor, Tensor> _expand;

    [ComponentName(Name = "ups")]
    private readonly ModuleList<UpBlock> _ups;

    [ComponentName(Name = "out")]
    private readonly nn.Module<Tensor, Tensor> _out;

    /// <param name="encoderFeatures">The encoder's level widths, shallowest first (the skip channels).</param>
    /// <param name="takesSkips">False for a decoder that never receives skips (Solution 1's cross decoders).</param>
    /// <param name="missingSkipWidth">The width of a concat block's zeros in place of a missing skip.</param>
    public UNetDecoder(
        int latentChannels,
        IReadOnlyList<int> features,
        IReadOnlyList<int> encoderFeatures,
        int outChannels,
        SkipMode mode,
        double skipWeight,
        bool takesSkips,
        MissingSkipWidth missingSkipWidth = MissingSkipWidth.Skip,
        bool complex = false)
        : base(nameof(UNetDecoder))
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(encoderFeatures);
        TakesSkips = takesSkips;
        Complex = complex;
        var levels = features.Count;
        _expand = Layers.Conv2d(complex, latentChannels, features[0], 1);
        _ups = nn.ModuleList<UpBlock>();
        for (var i = 1; i < levels; i++)
        {
            var skipChannels = takesSkips ? encoderFeatures[levels - 1 - i] : 0;
            _ups.Add(new UpBlock(features[i - 1], skipChannels, features[i], mode, skipWeight, missingSkipWidth, complex));
        }

        _out = Layers.Conv2d(complex, features[^1], outChannels, 1);
        RegisterComponents();
    }

    public bool TakesSkips { get; }

    public bool Complex { get; }

    /// <param name="skips">The encoder's skips, shallowest first, or null for none.</param>
    /// <param name="identity">Added to the output when given (the residual identity mapping).</param>
    public Tensor forward(Tensor latent, IReadOnlyList<Tensor>? skips, Tensor? identity)
    {
        ArgumentNullException.ThrowIfNull(latent);
        var x = _expand.forward(Complex ? ComplexTensors.FromHalves(latent) : latent);
        var levels = _ups.Count + 1;
        for (var i = 0; i < _ups.Count; i++)
        {
            x = _ups[i].forward(x, skips?[levels - 2 - i]);
        }

        var output = _out.forward(x);
        output = identity is null ? output : output.Plus(identity);
        return Complex ? ComplexTensors.ToHalves(output) : output;
    }
}
