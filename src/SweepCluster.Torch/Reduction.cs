namespace SweepCluster.Torch;

/// <summary>How a loss reduces over elements; values match the native ABI.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}
