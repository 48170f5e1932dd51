using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SweepCluster.Denoising.Data;

/// <summary>Writes NPY format 1.0 files in C order (little-endian float32, float64 or complex64).</summary>
public static class NpyWriter
{
    public static void WriteFloat32(string path, ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var data = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 4), values[i]);
        }

        Write(path, "<f4", shape, values.Length, data);
    }

    public static void WriteFloat64(string path, ReadOnlySpan<double> values, params ReadOnlySpan<int> shape)
    {
        var data = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
        }

        Write(path, "<f8", shape, values.Length, data);
    }

    public static void WriteComplex64(string path, ReadOnlySpan<float> real, ReadOnlySpan<float> imaginary, params ReadOnlySpan<int> shape)
    {
        if (real.Length != imaginary.Length)
        {
            throw new ArgumentException("Real and imaginary parts differ in length.", nameof(imaginary));
        }

        var data = new byte[real.Length * 8];
        for (var i = 0; i < real.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(i * 8), real[i]);
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((i * 8) + 4), imaginary[i]);
        }

        Write(path, "<c8", shape, real.Length, data);
    }

    private static void Write(string path, string descr, ReadOnlySpan<int> shape, int count, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(path);
        long expected = 1;
        foreach (var dimension in shape)
        {
            expected *= dimension;
        }

        if (expected != count)
        {
            throw new ArgumentException($"Shape holds {expected} elements but {count} values were given.", nameof(shape));
        }

        var dims = shape.ToArray().Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray();
        var shapeText = dims.Length == 1 ? $"({dims[0]},)" : $"({string.Join(", ", dims)})";
        var header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";

        // Magic (6) + version (2) + length (2) + header + newline, padded with spaces to a multiple of 64.
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(data);
    }
}
