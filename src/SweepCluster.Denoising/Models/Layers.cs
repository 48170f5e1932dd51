using SweepCluster.Denoising.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// The layers the models build, created in one place so that every module starts from PyTorch's defaults.
/// </summary>
public static class Layers
{
    /// <summary>
    /// <c>nn.GroupNorm(groups, channels)</c> with its affine parameters set to ones and zeros, as PyTorch starts them.
    /// TorchSharp 0.107.0's GroupNorm allocates <c>weight</c> and <c>bias</c> with <c>torch.empty</c> and never
    /// initialises them (seen: weights of 4.6e-41 and a bias of NaN), so every trial would start from whatever the
    /// allocator held. Remove this once TorchSharp initialises them itself; <c>LayersTests</c> then still holds.
    /// </summary>
    public static GroupNorm GroupNorm(long groups, long channels)
    {
        TorchRuntime.EnsureConfigured();
        var norm = nn.GroupNorm(groups, channels);
        // The scalar is held for the call: an implicit double-to-Scalar temporary can be finalized by the GC while
        // libtorch still reads it (seen once: fill_ failing in c10's Scalar::toFloat).
        using (no_grad())
        using (var one = 1.0.ToScalar())
        {
            norm.weight!.fill_(one);
            norm.bias!.zero_();
        }

        return norm;
    }

    /// <summary><c>nn.Conv2d</c> (kaiming-uniform weights and a uniform bias, as PyTorch's defaults).</summary>
    public static Conv2d Conv2d(long inChannels, long outChannels, long kernelSize, long stride = 1, long padding = 0, bool bias = true)
    {
        TorchRuntime.EnsureConfigured();
        return nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: padding, bias: bias);
    }

    /// <summary><c>nn.ConvTranspose2d</c> with PyTorch's default initialisation.</summary>
    public static ConvTranspose2d ConvTranspose2d(long inChannels, long outChannels, long kernelSize, long stride)
    {
        TorchRuntime.EnsureConfigured();
        return nn.ConvTranspose2d(inChannels, outChannels, kernelSize, stride: stride);
    }

    /// <summary>A real <c>nn.Conv2d</c>, or its complex counterpart <see cref="ComplexConv2d"/> (<c>model.complex</c>).</summary>
    public static nn.Module<Tensor, Tensor> Conv2d(bool complex, long inChannels, long outChannels, long kernelSize, long padding = 0, bool bias = true) =>
        complex
            ? new ComplexConv2d(inChannels, outChannels, kernelSize, padding: padding, bias: bias)
            : Conv2d(inChannels, outChannels, kernelSize, padding: padding, bias: bias);

    /// <summary>A real <c>nn.ConvTranspose2d</c>, or <see cref="ComplexConvTranspose2d"/>.</summary>
    public static nn.Module<Tensor, Tensor> ConvTranspose2d(bool complex, long inChannels, long outChannels, long kernelSize, long stride) =>
        complex
            ? new ComplexConvTranspose2d(inChannels, outChannels, kernelSize, stride)
            : ConvTranspose2d(inChannels, outChannels, kernelSize, stride);
}
