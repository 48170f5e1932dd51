using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Runtime;

/// <summary>
/// Tensor arithmetic whose <see cref="Scalar"/> operands stay alive for the native call. TorchSharp hands libtorch
/// only a Scalar's native handle; an implicit temporary (the <c>1</c> alpha inside <c>a + b</c>, the <c>2.0</c> of
/// <c>t * 2.0</c>, the exponent inside <c>square()</c>) is unreachable once its handle is read, so a collection on
/// another thread can run its finalizer and free the native scalar while libtorch still reads it (seen: "Expected
/// false to be true" from c10's Scalar::toFloat). <see cref="torch.NewDisposeScope"/> does not hold Scalars.
/// Constants are static fields (never finalized); a value is wrapped in a Scalar disposed after the call. Each
/// helper runs the same libtorch operation, with the same scalar types, as the operator it replaces, so the results
/// are bit-identical.
/// </summary>
internal static class HeldScalars
{
    /// <summary>The int 1 TorchSharp passes as the alpha of <c>add</c> and <c>add_</c> without one.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The int 2 exponent of TorchSharp's <c>square()</c> (<c>pow(2)</c>).</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary><c>a + b</c> (<c>a.add(b, alpha: 1)</c>).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><c>a + value</c> (<c>a.add(value, alpha: 1)</c>).</summary>
    public static Tensor Plus(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.add(scalar, One);
    }

    /// <summary><c>a * value</c> (<c>a.mul(value)</c>).</summary>
    public static Tensor Times(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.mul(scalar);
    }

    /// <summary><c>a.square()</c> (<c>a.pow(2)</c>).</summary>
    public static Tensor Squared(this Tensor a) => a.pow(Two);
}
