using SweepCluster.Denoising.Runtime;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// The conversions and part-wise operations of the complex network (<c>model.complex</c>). Complex activations are
/// complex64 tensors; everything that touches them is composed from real operations on <c>.real</c> and
/// <c>.imag</c> (views) and <c>torch.complex(re, im)</c>, so the arithmetic is the real float32 arithmetic and
/// autograd differentiates it like any real network. Outside the network a complex image is a real tensor of
/// channel halves: the first C channels the real parts, the last C the imaginary parts (<c>data.representation:
/// real_imag</c> gives [real, imag] for one complex channel; the latent is the same layout).
/// </summary>
public static class ComplexTensors
{
    /// <summary>[N, 2C, H, W] real channel halves (real first) as a complex64 [N, C, H, W] tensor.</summary>
    public static Tensor FromHalves(Tensor halves)
    {
        ArgumentNullException.ThrowIfNull(halves);
        var channels = halves.shape[1];
        if (channels % 2 != 0)
        {
            throw new ArgumentException($"A complex image needs an even number of channels (real halves, then imaginary), got {channels}.", nameof(halves));
        }

        var half = channels / 2;
        return complex(halves.narrow(1, 0, half), halves.narrow(1, half, half));
    }

    /// <summary>A complex [N, C, H, W] tensor as real channel halves <c>cat([z.real, z.imag], 1)</c>.</summary>
    public static Tensor ToHalves(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return cat([z.real, z.imag], 1);
    }

    /// <summary><c>complex(f(z.real), f(z.imag))</c>: a real operation applied to each part on its own.</summary>
    public static Tensor PartWise(Tensor z, Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(z);
        ArgumentNullException.ThrowIfNull(f);
        return complex(f(z.real), f(z.imag));
    }

    /// <summary>
    /// The squared modulus <c>re^2 + im^2</c> of real channel halves, [N, 2C, H, W] to [N, C, H, W]: the loss of a
    /// complex difference without going through a complex tensor.
    /// </summary>
    public static Tensor SquaredModulus(Tensor halves)
    {
        ArgumentNullException.ThrowIfNull(halves);
        var half = halves.shape[1] / 2;
        return halves.narrow(1, 0, half).Squared().Plus(halves.narrow(1, half, half).Squared());
    }

    /// <summary>
    /// The modulus <c>sqrt(re^2 + im^2 + epsilon)</c> of real channel halves. The epsilon keeps the gradient finite
    /// where both parts are 0 (there sqrt's derivative is infinite and autograd would give 0 * inf = NaN).
    /// </summary>
    public static Tensor Modulus(Tensor halves, double epsilon)
    {
        return SquaredModulus(halves).Plus(epsilon).sqrt();
    }
}
