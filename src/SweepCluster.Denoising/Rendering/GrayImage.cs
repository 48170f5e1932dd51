namespace SweepCluster.Denoising.Rendering;

/// <summary>An 8-bit grayscale raster, row-major.</summary>
public sealed class GrayImage
{
    public GrayImage(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
        Pixels = new byte[width * height];
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    public void SavePng(string path) => PngWriter.WriteGray8(path, Pixels, Width, Height);
}
