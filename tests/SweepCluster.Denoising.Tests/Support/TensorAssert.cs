using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests.Support;

internal static class TensorAssert
{
    /// <summary>Asserts equal shapes and |a - b| &lt;= atol + rtol * |b| elementwise, naming the worst element.</summary>
    public static void Close(Tensor expected, Tensor actual, double rtol, double atol, string what)
    {
        Assert.True(
            expected.shape.AsSpan().SequenceEqual(actual.shape),
            $"{what}: shape [{string.Join(", ", actual.shape)}] differs from the reference [{string.Join(", ", expected.shape)}]");
        var e = expected.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var a = actual.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
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
