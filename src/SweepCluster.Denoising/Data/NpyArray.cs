namespace SweepCluster.Denoising.Data;

/// <summary>
/// An array read from an NPY file, in C (row-major) order. Values are held as <see cref="float"/> (float64
/// files are narrowed: training runs in float32); complex files fill <see cref="Imaginary"/>.
/// </summary>
public sealed class NpyArray(IReadOnlyList<int> shape, NpyDataType dataType, float[] real, float[]? imaginary)
{
    public IReadOnlyList<int> Shape { get; } = shape;

    public NpyDataType DataType { get; } = dataType;

    public float[] Real { get; } = real;

    /// <summary>Imaginary parts of a complex64 array; null otherwise.</summary>
    public float[]? Imaginary { get; } = imaginary;

    public long ElementCount => Real.LongLength;
}
