namespace SweepCluster.Denoising.Runtime;

/// <summary>One CUDA device: its index, name and total memory in bytes (0 when unknown).</summary>
public sealed record CudaDeviceInfo(int Index, string Name, long TotalMemory);
