namespace SweepCluster.Denoising.Configuration;

/// <summary>How complex64 NPY data becomes channels: magnitude (one channel) or real and imaginary (two).</summary>
public enum DataRepresentation
{
    Magnitude,
    RealImag,
}
