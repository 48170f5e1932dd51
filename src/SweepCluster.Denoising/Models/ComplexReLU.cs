using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// The split ReLU of the complex UNet ("CReLU"): <c>complex(relu(x.real), relu(x.imag))</c>. It clips each part at 0
/// on its own, not the modulus, so the phase of an activation changes wherever one part is negative.
/// </summary>
public sealed class ComplexReLU : nn.Module<Tensor, Tensor>
{
    public ComplexReLU()
        : base(nameof(ComplexReLU))
    {
    }

    public override Tensor forward(Tensor input) => ComplexTensors.PartWise(input, part => F.relu(part));
}
