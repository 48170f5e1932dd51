namespace SweepCluster.Denoising.Data;

/// <summary>
/// One pair of co-registered contrasts, each <c>float[Channels * Height * Width]</c> in row-major [C,H,W].
/// Clean images and noise exist only for synthetic data (<see cref="HasCleanReference"/>).
/// </summary>
public sealed class PairedSample
{
    public PairedSample(int channels, int height, int width, float[] noisyA, float[] noisyB)
    {
        ArgumentNullException.ThrowIfNull(noisyA);
        ArgumentNullException.ThrowIfNull(noisyB);
        var length = channels * height * width;
        if (noisyA.Length != length || noisyB.Length != length)
        {
            throw new ArgumentException($"Expected {length} values per contrast for [{channels},{height},{width}], got {noisyA.Length} and {noisyB.Length}.");
        }

        Channels = channels;
        Height = height;
        Width = width;
        NoisyA = noisyA;
        NoisyB = noisyB;
    }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public float[] NoisyA { get; }

    public float[] NoisyB { get; }

    public float[]? CleanA { get; init; }

    public float[]? CleanB { get; init; }

    /// <summary><c>NoisyA - CleanA</c>: the noise actually added to contrast A.</summary>
    public float[]? NoiseA { get; init; }

    /// <summary><c>NoisyB - CleanB</c>.</summary>
    public float[]? NoiseB { get; init; }

    /// <summary>Synthetic only: the tissue of each pixel of contrast A's anatomy, [H,W].</summary>
    public Tissue[]? Tissue { get; init; }

    public bool HasCleanReference => CleanA is not null && CleanB is not null;
}
