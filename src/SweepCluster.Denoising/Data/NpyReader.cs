using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SweepCluster.Denoising.Data;

/// <summary>
/// Reads NumPy <c>.npy</c> files (format versions 1 to 3) of little-endian float32, float64 or complex64 in C
/// order. Anything else is refused with an <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static NpyArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads from a stream; <paramref name="name"/> labels the error messages.</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw Bad(name, "not an NPY file (wrong magic; expected \\x93NUMPY)");
        }

        var major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var length = new byte[2];
            ReadExactly(stream, length, name);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(length);
        }
        else if (major is 2 or 3)
        {
            var length = new byte[4];
            ReadExactly(stream, length, name);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(length));
        }
        else
        {
            throw Bad(name, $"unsupported NPY format version {major}.{prefix[7]}");
        }

        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw Bad(name, $"malformed header: {header.Trim()}");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw Bad(name, "stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))");
        }

        var type = descr.Groups[1].Value switch
        {
            "<f4" => NpyDataType.Float32,
            "<f8" => NpyDataType.Float64,
            "<c8" => NpyDataType.Complex64,
            var other => throw Bad(name, $"unsupported dtype '{other}'; expected little-endian float32 (<f4), float64 (<f8) or complex64 (<c8)"),
        };

        var shape = shapeMatch.Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.TrimEnd('L'), CultureInfo.InvariantCulture))
            .ToArray();
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var elementSize = type == NpyDataType.Float32 ? 4 : 8;
        var data = new byte[checked(count * elementSize)];
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
        {
            throw Bad(name, $"truncated: the header announces {count} elements of shape ({string.Join(", ", shape)}) but the data is shorter");
        }

        var real = new float[count];
        float[]? imaginary = null;
        switch (type)
        {
            case NpyDataType.Float32:
                for (var i = 0; i < count; i++)
                {
                    real[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4));
                }

                break;
            case NpyDataType.Float64:
                for (var i = 0; i < count; i++)
                {
                    real[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(i * 8));
                }

                break;
            default:
                imaginary = new float[count];
                for (var i = 0; i < count; i++)
                {
                    real[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 8));
                    imaginary[i] = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan((i * 8) + 4));
                }

                break;
        }

        return new NpyArray(shape, type, real, imaginary);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string name)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw Bad(name, "truncated header");
        }
    }

    private static InvalidDataException Bad(string name, string problem) => new($"{name}: {problem}");

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
