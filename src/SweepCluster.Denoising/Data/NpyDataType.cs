namespace SweepCluster.Denoising.Data;

/// <summary>The NPY element types the loader accepts (little-endian <c>&lt;f4</c>, <c>&lt;f8</c>, <c>&lt;c8</c>).</summary>
public enum NpyDataType
{
    Float32,
    Float64,
    Complex64,
}
