using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// <c>nn.LeakyReLU(negative_slope)</c> whose slope Scalar lives as long as the module. TorchSharp's own LeakyReLU
/// converts its double slope to a temporary Scalar on every forward, which the GC may finalize while libtorch reads
/// it (see <see cref="Runtime.HeldScalars"/>). No parameters, so a state dict is the same as with nn.LeakyReLU.
/// </summary>
public sealed class HeldLeakyReLU : nn.Module<Tensor, Tensor>
{
    private readonly Scalar _negativeSlope;

    public HeldLeakyReLU(double negativeSlope)
        : base(nameof(HeldLeakyReLU))
    {
        _negativeSlope = negativeSlope.ToScalar();
    }

    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.leaky_relu(_negativeSlope);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _negativeSlope.Dispose();
        }

        base.Dispose(disposing);
    }
}
