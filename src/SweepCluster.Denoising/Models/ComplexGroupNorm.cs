using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// GroupNorm of a complex64 tensor as the complex UNet of the notes does it: ONE real GroupNorm applied to the real
/// and to the imaginary part separately, <c>complex(gn(x.real), gn(x.imag))</c>. The statistics (mean and variance
/// per sample and group) are therefore computed for each part on its own, while the affine <c>weight</c> and
/// <c>bias</c> are real and shared by both parts. They are named and started like <c>nn.GroupNorm</c>'s (ones and
/// zeros), so the state dict of the complex network has the real network's GroupNorm entries.
/// </summary>
public sealed class ComplexGroupNorm : nn.Module<Tensor, Tensor>
{
    /// <summary>PyTorch's default epsilon of GroupNorm.</summary>
    public const double Epsilon = 1e-5;

    [ComponentName(Name = "weight")]
    private readonly Parameter _weight;

    [ComponentName(Name = "bias")]
    private readonly Parameter _bias;

    private readonly long _groups;

    public ComplexGroupNorm(long groups, long channels)
        : base(nameof(ComplexGroupNorm))
    {
        _groups = groups;
        _weight = new Parameter(ones(channels));
        _bias = new Parameter(zeros(channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        ComplexTensors.PartWise(input, part => F.group_norm(part, _groups, _weight, _bias, Epsilon));
}
