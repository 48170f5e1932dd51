namespace SweepCluster.Torch;

/// <summary>Kinds of device a tensor can live on; the values match the native ABI.</summary>
public enum DeviceType
{
    Cpu = 0,
    Cuda = 1,
}
