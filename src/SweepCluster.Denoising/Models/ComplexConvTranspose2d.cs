using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// A complex transposed convolution (the decoder's 2x2 stride-2 upsampling) composed from four real ones, like
/// <see cref="ComplexConv2d"/>: <c>out_re = convT(x_re, W_re) - convT(x_im, W_im) + b_re</c>,
/// <c>out_im = convT(x_re, W_im) + convT(x_im, W_re) + b_im</c>. Each of the four real parameters is drawn like the
/// parameter of a real <c>nn.ConvTranspose2d</c> of the same shape (PyTorch's fan_in of a transposed convolution is
/// out_channels * k * k, its weight being [in, out, k, k]). PyTorch 1.13 has no complex transposed convolution on
/// the CPU at all, which is one more reason to compose it.
/// </summary>
public sealed class ComplexConvTranspose2d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight_real")]
    private readonly Parameter _weightReal;

    [ComponentName(Name = "weight_imag")]
    private readonly Parameter _weightImag;

    [ComponentName(Name = "bias_real")]
    private readonly Parameter _biasReal;

    [ComponentName(Name = "bias_imag")]
    private readonly Parameter _biasImag;

    private readonly long[] _stride;

    public ComplexConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride)
        : base(nameof(ComplexConvTranspose2d))
    {
        TorchRuntime.EnsureConfigured();
        _stride = [stride, stride];
        (_weightReal, _biasReal) = RealLayerParameters(inChannels, outChannels, kernelSize, stride);
        (_weightImag, _biasImag) = RealLayerParameters(inChannels, outChannels, kernelSize, stride);
        RegisterComponents();
    }

    /// <param name="input">A complex64 [N, in, H, W] tensor.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var re = input.real;
        var im = input.imag;
        var outRe = F.conv_transpose2d(re, _weightReal, _biasReal, strides: _stride) - F.conv_transpose2d(im, _weightImag, strides: _stride);
        var outIm = F.conv_transpose2d(re, _weightImag, _biasImag, strides: _stride).Plus(F.conv_transpose2d(im, _weightReal, strides: _stride));
        return complex(outRe, outIm);
    }

    private static (Parameter Weight, Parameter Bias) RealLayerParameters(long inChannels, long outChannels, long kernelSize, long stride)
    {
        using var layer = Layers.ConvTranspose2d(inChannels, outChannels, kernelSize, stride);
        using var noGrad = no_grad();
        return (new Parameter(layer.weight!.detach().clone()), new Parameter(layer.bias!.detach().clone()));
    }
}
