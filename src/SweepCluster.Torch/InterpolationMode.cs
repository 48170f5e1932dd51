namespace SweepCluster.Torch;

/// <summary>Resampling mode of <see cref="Functional.Interpolate"/>.</summary>
public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
}
