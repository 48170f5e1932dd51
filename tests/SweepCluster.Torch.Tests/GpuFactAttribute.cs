namespace SweepCluster.Torch.Tests;

/// <summary>A fact that needs a CUDA device; skipped (and counted as skipped) where there is none.</summary>
public sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute()
    {
        if (!Torch.CudaIsAvailable)
        {
            Skip = "no CUDA device (CPU build of libtorch or no GPU on this machine)";
        }
    }
}
