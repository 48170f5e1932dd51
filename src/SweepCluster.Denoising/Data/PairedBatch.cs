namespace SweepCluster.Denoising.Data;

/// <summary>
/// Samples stacked into row-major [N,C,H,W] arrays, ready to become tensors. Clean and noise arrays are null
/// when the data set has no clean reference.
/// </summary>
public sealed class PairedBatch
{
    internal PairedBatch(IReadOnlyList<int> indices, IReadOnlyList<PairedSample> samples)
    {
        Indices = indices;
        Count = samples.Count;
        Channels = samples[0].Channels;
        Height = samples[0].Height;
        Width = samples[0].Width;
        NoisyA = Stack(samples, s => s.NoisyA)!;
        NoisyB = Stack(samples, s => s.NoisyB)!;
        CleanA = Stack(samples, s => s.CleanA);
        CleanB = Stack(samples, s => s.CleanB);
        NoiseA = Stack(samples, s => s.NoiseA);
        NoiseB = Stack(samples, s => s.NoiseB);
    }

    /// <summary>Data-set indices of the samples, in batch order.</summary>
    public IReadOnlyList<int> Indices { get; }

    public int Count { get; }

    public int Channels { get; }

    public int Height { get; }

    public int Width { get; }

    public float[] NoisyA { get; }

    public float[] NoisyB { get; }

    public float[]? CleanA { get; }

    public float[]? CleanB { get; }

    public float[]? NoiseA { get; }

    public float[]? NoiseB { get; }

    /// <summary>The shape of every array: [N, C, H, W].</summary>
    public long[] Shape => [Count, Channels, Height, Width];

    private static float[]? Stack(IReadOnlyList<PairedSample> samples, Func<PairedSample, float[]?> select)
    {
        if (samples.Any(s => select(s) is null))
        {
            return null;
        }

        var size = select(samples[0])!.Length;
        var result = new float[size * samples.Count];
        for (var i = 0; i < samples.Count; i++)
        {
            select(samples[i])!.CopyTo(result, i * size);
        }

        return result;
    }
}
