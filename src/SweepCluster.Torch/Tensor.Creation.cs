using System.Runtime.InteropServices;
using SweepCluster.Torch.Interop;

namespace SweepCluster.Torch;

public sealed partial class Tensor
{
    /// <summary>Copies <paramref name="data"/> (row-major) into a new CPU float32 tensor of <paramref name="shape"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params ReadOnlySpan<long> shape) =>
        FromSpan(MemoryMarshal.AsBytes(data), data.Length, ScalarType.Float32, shape);

    /// <summary>Copies <paramref name="data"/> (row-major) into a new CPU int64 tensor of <paramref name="shape"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<long> data, params ReadOnlySpan<long> shape) =>
        FromSpan(MemoryMarshal.AsBytes(data), data.Length, ScalarType.Int64, shape);

    /// <summary>Copies <paramref name="data"/> into a new 1-D float32 tensor.</summary>
    public static Tensor FromArray(float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray(data, data.Length);
    }

    /// <summary>A 0-dimensional float32 tensor.</summary>
    public static Tensor Scalar(float value) => FromArray([value], ReadOnlySpan<long>.Empty);

    private static unsafe Tensor FromSpan(ReadOnlySpan<byte> bytes, int count, ScalarType dtype, ReadOnlySpan<long> shape)
    {
        long expected = 1;
        foreach (var size in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(shape));
            expected *= size;
        }

        if (expected != count)
        {
            throw new ArgumentException(
                $"shape [{string.Join(", ", shape.ToArray())}] holds {expected} elements but {count} were given", nameof(shape));
        }

        fixed (byte* d = bytes)
        fixed (long* s = shape)
        {
            return Wrap(NativeMethods.st_tensor_from_data(d, (int)dtype, s, shape.Length, out var r), r);
        }
    }

    public static Tensor Zeros(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Full(shape, 0.0, dtype, device);

    public static Tensor Ones(ReadOnlySpan<long> shape, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Full(shape, 1.0, dtype, device);

    public static unsafe Tensor Full(ReadOnlySpan<long> shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            return Wrap(NativeMethods.st_tensor_full(s, shape.Length, value, (int)dtype, (int)d.Type, d.Index, out var r), r);
        }
    }

    /// <summary>Uniform samples in [0, 1). Sampled on the CPU, so one seed gives the same values on every device.</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, Generator? generator = null, Device? device = null) =>
        Random(shape, 0, generator, device);

    /// <summary>Standard normal samples. Sampled on the CPU, so one seed gives the same values on every device.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, Generator? generator = null, Device? device = null) =>
        Random(shape, 1, generator, device);

    private static unsafe Tensor Random(ReadOnlySpan<long> shape, int kind, Generator? generator, Device? device)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            return Wrap(
                NativeMethods.st_tensor_random(s, shape.Length, kind, generator?.Handle ?? GeneratorHandle.Null, (int)ScalarType.Float32, (int)d.Type, d.Index, out var r),
                r);
        }
    }

    public static Tensor Arange(double start, double end, double step = 1.0, ScalarType dtype = ScalarType.Float32) =>
        Wrap(NativeMethods.st_tensor_arange(start, end, step, (int)dtype, out var r), r);

    /// <summary>Copies the elements (row-major) into a new float array; the tensor must be float32.</summary>
    public float[] ToArray()
    {
        var result = new float[checked((int)NumberOfElements)];
        CopyTo(result);
        return result;
    }

    /// <summary>Copies the elements (row-major) into a new long array; the tensor must be int64.</summary>
    public long[] ToInt64Array()
    {
        RequireDtype(ScalarType.Int64);
        var result = new long[checked((int)NumberOfElements)];
        CopyBytes(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <summary>Copies the elements (row-major) into <paramref name="destination"/>, which must match the element count.</summary>
    public void CopyTo(Span<float> destination)
    {
        RequireDtype(ScalarType.Float32);
        CopyBytes(MemoryMarshal.AsBytes(destination));
    }

    /// <summary>The raw bytes of a uint8 tensor (generator states).</summary>
    public byte[] ToByteArray()
    {
        RequireDtype(ScalarType.UInt8);
        var result = new byte[checked((int)NumberOfElements)];
        CopyBytes(result);
        return result;
    }

    /// <summary>A uint8 tensor holding <paramref name="bytes"/> (to restore generator states).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes)
    {
        long length = bytes.Length;
        fixed (byte* d = bytes)
        {
            return Wrap(NativeMethods.st_tensor_from_data(d, (int)ScalarType.UInt8, &length, 1, out var r), r);
        }
    }

    private unsafe void CopyBytes(Span<byte> destination)
    {
        fixed (byte* d = destination)
        {
            Status.ThrowIfFailed(NativeMethods.st_tensor_copy_to(Handle, d, destination.Length));
        }
    }

    private void RequireDtype(ScalarType dtype)
    {
        var actual = Dtype;
        if (actual != dtype)
        {
            throw new InvalidOperationException($"tensor is {actual}, expected {dtype}; convert it with To({dtype}) first");
        }
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        Status.ThrowIfFailed(NativeMethods.st_tensor_item(Handle, out var value));
        return value;
    }
}
