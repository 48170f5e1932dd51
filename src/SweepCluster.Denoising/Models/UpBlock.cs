using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// One decoder level: a 2x2 stride-2 transposed convolution, the skip merge, then a DoubleConv.
/// <list type="bullet">
/// <item><c>concat</c> (the notes' original block): the transposed conv halves the channels, the block concatenates
/// [skip, upsampled] and, without a skip, concatenates zeros in its place, so the DoubleConv always sees
/// skip + up channels.</item>
/// <item><c>additive</c> (Solution A): the transposed conv produces the skip's channel count (half its input when the
/// decoder mirrors the encoder), the block adds <c>skip_weight * skip</c> and, without a skip, passes the
/// upsampled tensor alone: no zeros, and the DoubleConv's input is the skip's channel count.</item>
/// <item>with <c>missing_skip_width: half_input</c> (concat only), the zeros standing in for a missing skip are as wide as
/// the upsampled tensor (half the block's input), as in the public implementation, and the DoubleConv reads twice that;
/// a real skip must then have that width too (the configuration check makes sure).</item>
/// <item>without skip channels at all (the cross decoders of Solution 1 never get skips): the transposed conv halves
/// the channels and the DoubleConv reads them alone.</item>
/// </list>
/// With <c>complex</c> every layer is complex and the skip, the zeros and the upsampled tensor are complex64.
/// </summary>
public sealed class UpBlock : nn.Module<Tensor, Tensor?, Tensor>
{
    [ComponentName(Name = "up")]
    private readonly nn.Module<Tensor, Tensor> _up;

    [ComponentName(Name = "conv")]
    private readonly DoubleConv _conv;

    private readonly SkipMode _mode;
    private readonly double _skipWeight;

    public UpBlock(int inChannels, int skipChannels, int outChannels, SkipMode mode, double skipWeight, MissingSkipWidth missingSkipWidth = MissingSkipWidth.Skip, bool complex = false)
        : base(nameof(UpBlock))
    {
        _mode = mode;
        _skipWeight = skipWeight;
        var upChannels = skipChannels > 0 && mode == SkipMode.Additive ? skipChannels : Math.Max(1, inChannels / 2);
        if (skipChannels > 0 && mode == SkipMode.Concat && missingSkipWidth == MissingSkipWidth.HalfInput)
        {
            skipChannels = upChannels;
        }

        SkipChannels = skipChannels;
        var convIn = skipChannels > 0 && mode == SkipMode.Concat ? skipChannels + upChannels : upChannels;
        _up = Layers.ConvTranspose2d(complex, inChannels, upChannels, 2, stride: 2);
        _conv = new DoubleConv(convIn, outChannels, complex);
        RegisterComponents();
    }

    /// <summary>Channels of the skip this block accepts; 0 for a block that never takes one.</summary>
    public int SkipChannels { get; }

    public override Tensor forward(Tensor input, Tensor? skip)
    {
        var up = _up.forward(input);
        if (SkipChannels == 0)
        {
            return _conv.forward(up);
        }

        if (_mode == SkipMode.Additive)
        {
            return _conv.forward(skip is null ? up : up.Plus(skip.Times(_skipWeight)));
        }

        var shape = up.shape;
        skip ??= zeros([shape[0], SkipChannels, shape[2], shape[3]], dtype: up.dtype, device: up.device);
        return _conv.forward(cat([skip, up], 1));
    }
}
