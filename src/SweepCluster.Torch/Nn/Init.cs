using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch.Nn;

/// <summary>Weight initialisation in place, outside autograd (PyTorch's <c>torch.nn.init</c>).</summary>
public static class Init
{
    private enum Kind
    {
        Zeros = 0, Ones, Constant, Uniform, Normal, KaimingUniform, KaimingNormal, XavierUniform, XavierNormal,
    }

    public static void Zeros(Tensor tensor) => Apply(tensor, Kind.Zeros, 0, 0, null);

    public static void Ones(Tensor tensor) => Apply(tensor, Kind.Ones, 0, 0, null);

    public static void Constant(Tensor tensor, double value) => Apply(tensor, Kind.Constant, value, 0, null);

    public static void Uniform(Tensor tensor, double low, double high, Generator? generator = null) =>
        Apply(tensor, Kind.Uniform, low, high, generator);

    public static void Normal(Tensor tensor, double mean, double std, Generator? generator = null) =>
        Apply(tensor, Kind.Normal, mean, std, generator);

    /// <summary>He initialisation; <paramref name="negativeSlope"/> of the following leaky ReLU (0 for ReLU).</summary>
    public static void KaimingUniform(Tensor tensor, double negativeSlope = 0, FanMode mode = FanMode.FanIn, Generator? generator = null) =>
        Apply(tensor, Kind.KaimingUniform, negativeSlope, (int)mode, generator);

    public static void KaimingNormal(Tensor tensor, double negativeSlope = 0, FanMode mode = FanMode.FanIn, Generator? generator = null) =>
        Apply(tensor, Kind.KaimingNormal, negativeSlope, (int)mode, generator);

    public static void XavierUniform(Tensor tensor, double gain = 1.0, Generator? generator = null) =>
        Apply(tensor, Kind.XavierUniform, gain, 0, generator);

    public static void XavierNormal(Tensor tensor, double gain = 1.0, Generator? generator = null) =>
        Apply(tensor, Kind.XavierNormal, gain, 0, generator);

    private static void Apply(Tensor tensor, Kind kind, double a, double b, Generator? generator)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Status.ThrowIfFailed(NativeMethods.st_init(tensor.Handle, (int)kind, a, b, generator?.Handle ?? GeneratorHandle.Null));
    }
}
