namespace SweepCluster.Denoising.Configuration;

/// <summary>Where a trial runs: <c>auto</c> picks CUDA when available.</summary>
public enum DeviceKind
{
    Auto,
    Cpu,
    Cuda,
}
