using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// A complex convolution of complex64 tensors, composed from four real ones so that it is exact float32 arithmetic
/// and autograd needs nothing complex: with W = W_re + i W_im and b = b_re + i b_im,
/// <c>out_re = conv(x_re, W_re) - conv(x_im, W_im) + b_re</c> and <c>out_im = conv(x_re, W_im) + conv(x_im, W_re) + b_im</c>.
/// The four parts are real parameters (<c>weight_real</c>, <c>weight_imag</c>, <c>bias_real</c>, <c>bias_imag</c>), each
/// drawn like the parameter of a real <c>nn.Conv2d</c> of the same shape (uniform within 1/sqrt(fan_in)): that is how
/// PyTorch initialises a complex64 <c>nn.Conv2d</c>, whose real and imaginary parts are drawn independently with
/// the real layer's bound.
/// </summary>
public sealed class ComplexConv2d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight_real")]
    private readonly Parameter _weightReal;

    [ComponentName(Name = "weight_imag")]
    private readonly Parameter _weightImag;

    [ComponentName(Name = "bias_real")]
    private readonly Parameter? _biasReal;

    [ComponentName(Name = "bias_imag")]
    private readonly Parameter? _biasImag;

    private readonly long[] _stride;
    private readonly long[] _padding;

    public ComplexConv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true)
        : base(nameof(ComplexConv2d))
    {
        TorchRuntime.EnsureConfigured();
        _stride = [stride, stride];
        _padding = [padding, padding];
        (_weightReal, _biasReal) = RealLayerParameters(inChannels, outChannels, kernelSize, stride, padding, bias);
        (_weightImag, _biasImag) = RealLayerParameters(inChannels, outChannels, kernelSize, stride, padding, bias);
        RegisterComponents();
    }

    /// <param name="input">A complex64 [N, in, H, W] tensor.</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var re = input.real;
        var im = input.imag;
        var outRe = F.conv2d(re, _weightReal, _biasReal, strides: _stride, padding: _padding) - F.conv2d(im, _weightImag, strides: _stride, padding: _padding);
        var outIm = F.conv2d(re, _weightImag, _biasImag, strides: _stride, padding: _padding).Plus(F.conv2d(im, _weightReal, strides: _stride, padding: _padding));
        return complex(outRe, outIm);
    }

    /// <summary>The weight and bias of a freshly initialised real layer of this shape, copied out of it.</summary>
    private static (Parameter Weight, Parameter? Bias) RealLayerParameters(long inChannels, long outChannels, long kernelSize, long stride, long padding, bool bias)
    {
        using var layer = Layers.Conv2d(inChannels, outChannels, kernelSize, stride, padding, bias);
        using var noGrad = no_grad();
        var weight = new Parameter(layer.weight!.detach().clone());
        var biasPart = layer.bias is { } b ? new Parameter(b.detach().clone()) : null;
        return (weight, biasPart);
    }
}
