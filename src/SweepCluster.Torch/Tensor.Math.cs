using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

public sealed partial class Tensor
{
    internal enum UnaryOp
    {
        Abs = 0, Sqrt, Exp, Log, Neg, Relu, Sigmoid, Tanh, Clone, Detach, Contiguous, Sign, Square, Floor, Round, Rsqrt,
    }

    internal enum BinaryOp
    {
        Add = 0, Sub, Mul, Div, Pow, Maximum, Minimum, Matmul, Eq, Gt, Lt,
    }

    internal enum ScalarOp
    {
        Add = 0, Sub, Mul, Div, Pow, ReverseSub, ReverseDiv, Eq, Gt, Lt,
    }

    internal enum ReduceOp
    {
        Sum = 0, Mean, Max, Min, Std, Var,
    }

    internal Tensor Unary(UnaryOp op) => Wrap(NativeMethods.st_unary((int)op, Handle, out var r), r);

    internal Tensor Binary(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Wrap(NativeMethods.st_binary((int)op, Handle, other.Handle, out var r), r);
    }

    internal Tensor WithScalar(ScalarOp op, double value) => Wrap(NativeMethods.st_scalar((int)op, Handle, value, out var r), r);

    private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepDim, bool unbiased = true)
    {
        fixed (long* d = dims)
        {
            return Wrap(NativeMethods.st_reduce((int)op, Handle, d, dims.Length, keepDim ? 1 : 0, unbiased ? 1 : 0, out var r), r);
        }
    }

    public static Tensor operator +(Tensor a, Tensor b) => Checked(a).Binary(BinaryOp.Add, b);

    public static Tensor operator -(Tensor a, Tensor b) => Checked(a).Binary(BinaryOp.Sub, b);

    public static Tensor operator *(Tensor a, Tensor b) => Checked(a).Binary(BinaryOp.Mul, b);

    public static Tensor operator /(Tensor a, Tensor b) => Checked(a).Binary(BinaryOp.Div, b);

    public static Tensor operator +(Tensor a, double b) => Checked(a).WithScalar(ScalarOp.Add, b);

    public static Tensor operator -(Tensor a, double b) => Checked(a).WithScalar(ScalarOp.Sub, b);

    public static Tensor operator *(Tensor a, double b) => Checked(a).WithScalar(ScalarOp.Mul, b);

    public static Tensor operator /(Tensor a, double b) => Checked(a).WithScalar(ScalarOp.Div, b);

    public static Tensor operator +(double a, Tensor b) => Checked(b).WithScalar(ScalarOp.Add, a);

    public static Tensor operator -(double a, Tensor b) => Checked(b).WithScalar(ScalarOp.ReverseSub, a);

    public static Tensor operator *(double a, Tensor b) => Checked(b).WithScalar(ScalarOp.Mul, a);

    public static Tensor operator /(double a, Tensor b) => Checked(b).WithScalar(ScalarOp.ReverseDiv, a);

    public static Tensor operator -(Tensor a) => Checked(a).Unary(UnaryOp.Neg);

    public Tensor Add(Tensor other) => this + other;

    public Tensor Subtract(Tensor other) => this - other;

    public Tensor Multiply(Tensor other) => this * other;

    public Tensor Divide(Tensor other) => this / other;

    public Tensor Negate() => -this;

    public Tensor Abs() => Unary(UnaryOp.Abs);

    public Tensor Sqrt() => Unary(UnaryOp.Sqrt);

    public Tensor Rsqrt() => Unary(UnaryOp.Rsqrt);

    public Tensor Exp() => Unary(UnaryOp.Exp);

    public Tensor Log() => Unary(UnaryOp.Log);

    public Tensor Square() => Unary(UnaryOp.Square);

    public Tensor Sign() => Unary(UnaryOp.Sign);

    public Tensor Floor() => Unary(UnaryOp.Floor);

    public Tensor Round() => Unary(UnaryOp.Round);

    public Tensor Relu() => Unary(UnaryOp.Relu);

    public Tensor Sigmoid() => Unary(UnaryOp.Sigmoid);

    public Tensor Tanh() => Unary(UnaryOp.Tanh);

    public Tensor Pow(double exponent) => WithScalar(ScalarOp.Pow, exponent);

    public Tensor Pow(Tensor exponent) => Binary(BinaryOp.Pow, exponent);

    public Tensor Maximum(Tensor other) => Binary(BinaryOp.Maximum, other);

    public Tensor Minimum(Tensor other) => Binary(BinaryOp.Minimum, other);

    public Tensor Matmul(Tensor other) => Binary(BinaryOp.Matmul, other);

    public Tensor Eq(Tensor other) => Binary(BinaryOp.Eq, other);

    public Tensor Gt(double value) => WithScalar(ScalarOp.Gt, value);

    public Tensor Lt(double value) => WithScalar(ScalarOp.Lt, value);

    public Tensor Clamp(double? min = null, double? max = null) =>
        Wrap(NativeMethods.st_clamp(Handle, min.HasValue ? 1 : 0, min ?? 0, max.HasValue ? 1 : 0, max ?? 0, out var r), r);

    /// <summary>Elementwise <paramref name="condition"/> ? <paramref name="a"/> : <paramref name="b"/>.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Wrap(NativeMethods.st_where(condition.Handle, a.Handle, b.Handle, out var r), r);
    }

    /// <summary>Sum of all elements (no dims) or over <paramref name="dims"/>.</summary>
    public Tensor Sum(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Sum, dims, keepDim);

    public Tensor Mean(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Mean, dims, keepDim);

    /// <summary>Maximum over all elements or over <paramref name="dims"/> (values only).</summary>
    public Tensor Max(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Max, dims, keepDim);

    public Tensor Min(ReadOnlySpan<long> dims = default, bool keepDim = false) => Reduce(ReduceOp.Min, dims, keepDim);

    /// <summary>Standard deviation, unbiased (N-1) by default as in PyTorch.</summary>
    public Tensor Std(ReadOnlySpan<long> dims = default, bool keepDim = false, bool unbiased = true) =>
        Reduce(ReduceOp.Std, dims, keepDim, unbiased);

    public Tensor Var(ReadOnlySpan<long> dims = default, bool keepDim = false, bool unbiased = true) =>
        Reduce(ReduceOp.Var, dims, keepDim, unbiased);

    /// <summary>In place, outside autograd: copies <paramref name="source"/> into this tensor.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Status.ThrowIfFailed(NativeMethods.st_tensor_copy_(Handle, source.Handle));
    }

    private static Tensor Checked(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        return t;
    }
}
