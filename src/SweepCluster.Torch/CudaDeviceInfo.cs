namespace SweepCluster.Torch;

/// <summary>One CUDA device as libtorch sees it; memory in bytes.</summary>
public sealed record CudaDeviceInfo(int Index, string Name, long TotalMemory, long AllocatedMemory);
