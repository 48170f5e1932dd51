using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class NpyReaderTests
{
    [Theory]
    [InlineData("float32", NpyDataType.Float32)]
    [InlineData("float64", NpyDataType.Float64)]
    [InlineData("complex64", NpyDataType.Complex64)]
    public void Reads_arrays_numpy_wrote(string dtype, NpyDataType expected)
    {
        using var temp = new TempDirectory();
        PythonReference.Run(
            $"""
            import numpy as np
            a = (np.arange(24).reshape(2, 3, 4) * 0.25 - 1.5).astype(np.{dtype})
            if a.dtype.kind == 'c':
                a = a + 1j * (np.arange(24).reshape(2, 3, 4) * 0.5).astype(np.float32)
                a = a.astype(np.complex64)
            np.save('x.npy', a)
            """,
            temp.Path);

        var array = NpyReader.Read(temp.File("x.npy"));

        Assert.Equal(expected, array.DataType);
        Assert.Equal([2, 3, 4], array.Shape);
        for (var i = 0; i < 24; i++)
        {
            Assert.Equal((i * 0.25f) - 1.5f, array.Real[i]);
            if (expected == NpyDataType.Complex64)
            {
                Assert.Equal(i * 0.5f, array.Imaginary![i]);
            }
        }
    }

    [Fact]
    public void Numpy_reads_what_the_writer_wrote_for_each_dtype()
    {
        using var temp = new TempDirectory();
        float[] values = [.. Enumerable.Range(0, 12).Select(i => (i * 0.1f) - 0.3f)];
        NpyWriter.WriteFloat32(temp.File("f4.npy"), values, 3, 4);
        NpyWriter.WriteFloat64(temp.File("f8.npy"), [.. values.Select(v => v * 1e-3)], 12);
        NpyWriter.WriteComplex64(temp.File("c8.npy"), values, [.. values.Select(v => -v)], 2, 2, 3);

        var output = PythonReference.Run(
            """
            import numpy as np
            f4, f8, c8 = np.load('f4.npy'), np.load('f8.npy'), np.load('c8.npy')
            print(f4.dtype, f4.shape, f8.dtype, f8.shape, c8.dtype, c8.shape)
            v = np.arange(12, dtype=np.float32) * np.float32(0.1) - np.float32(0.3)
            print(np.array_equal(f4.ravel(), v), np.allclose(f8, v.astype(np.float64) * 1e-3, rtol=0, atol=1e-12), np.array_equal(c8.ravel(), v - 1j * v))
            """,
            temp.Path);

        Assert.Equal("float32 (3, 4) float64 (12,) complex64 (2, 2, 3)\nTrue True True\n", output.Replace("\r", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public void Round_trip_through_the_writer_and_reader_keeps_values()
    {
        using var temp = new TempDirectory();
        float[] values = [1.5f, -2.25f, float.Epsilon, 3e30f];
        NpyWriter.WriteFloat32(temp.File("r.npy"), values, 2, 2);

        Assert.Equal(values, NpyReader.Read(temp.File("r.npy")).Real);
    }

    [Fact]
    public void Wrong_magic_is_refused_naming_the_file()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("text.npy"), "hello, not numpy");

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(temp.File("text.npy")));

        Assert.Contains("text.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("wrong magic", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("np.arange(4, dtype=np.int32)", "unsupported dtype '<i4'")]
    [InlineData("np.arange(4, dtype='>f4')", "unsupported dtype '>f4'")]
    [InlineData("np.asfortranarray(np.ones((3, 4), dtype=np.float32))", "Fortran")]
    public void Unsupported_content_is_refused_with_the_reason(string expression, string reason)
    {
        using var temp = new TempDirectory();
        PythonReference.Run($"import numpy as np\nnp.save('bad.npy', {expression})\n", temp.Path);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(temp.File("bad.npy")));

        Assert.Contains("bad.npy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_data_is_refused()
    {
        using var temp = new TempDirectory();
        NpyWriter.WriteFloat32(temp.File("t.npy"), new float[100], 10, 10);
        var bytes = File.ReadAllBytes(temp.File("t.npy"));
        File.WriteAllBytes(temp.File("t.npy"), bytes[..^8]);

        var ex = Assert.Throws<InvalidDataException>(() => NpyReader.Read(temp.File("t.npy")));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("t.npy", ex.Message, StringComparison.Ordinal);
    }
}
