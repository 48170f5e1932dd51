namespace SweepCluster.Torch;

/// <summary>How <see cref="Tensor.Pad"/> fills the border; values match the native ABI.</summary>
public enum PadMode
{
    Constant = 0,
    Reflect = 1,
    Replicate = 2,
    Circular = 3,
}
