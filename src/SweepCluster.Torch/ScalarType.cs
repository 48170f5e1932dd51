namespace SweepCluster.Torch;

/// <summary>Element types; the values match the native ABI.</summary>
public enum ScalarType
{
    Float32 = 0,
    Int64 = 1,
    Float64 = 2,
    Bool = 3,
    UInt8 = 4,
}
