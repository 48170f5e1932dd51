using SweepCluster.Denoising.Runtime;

namespace SweepCluster.Denoising.Tests.Support;

/// <summary>A fact that needs a CUDA device; skipped (and counted as skipped) where there is none.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!CudaDevices.IsAvailable)
        {
            Skip = "no CUDA device (the CPU build of TorchSharp, or no GPU on this machine)";
        }
    }
}
