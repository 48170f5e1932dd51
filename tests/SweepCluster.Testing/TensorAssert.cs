using SweepCluster.Torch;
using Xunit;

namespace SweepCluster.Testing;

public static class TensorAssert
{
    /// <summary>Asserts equal shapes and |a - b| &lt;= atol + rtol * |b| elementwise, naming the worst element.</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        Assert.True(
            expected.Shape.AsSpan().SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}] differs from the reference [{string.Join(", ", expected.Shape)}]");
        var e = expected.To(ScalarType.Float32).ToArray();
        var a = actual.To(ScalarType.Float32).ToArray();
        var worst = -1;
        var worstExcess = 0.0;
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Math.Abs(a[i] - e[i]) - (atol + (rtol * Math.Abs(e[i])));
            if (excess > worstExcess || double.IsNaN(a[i]) != double.IsNaN(e[i]))
            {
                worstExcess = double.IsNaN(excess) ? double.PositiveInfinity : excess;
                worst = i;
            }
        }

        Assert.True(worst < 0, worst < 0 ? string.Empty : $"{what}: element {worst} is {a[worst]} but the reference has {e[worst]} (rtol {rtol}, atol {atol})");
    }
}
