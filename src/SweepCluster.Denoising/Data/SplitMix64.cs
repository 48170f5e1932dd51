namespace SweepCluster.Denoising.Data;

/// <summary>
/// SplitMix64 generator (Steele, Lea and Flood 2014): tiny, fast, and fixed forever, unlike
/// <see cref="Random"/> whose algorithm may change between runtimes, so a seed always gives the same data.
/// Not thread-safe; derive one per stream with <see cref="Derive"/>.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;
    private double? _spareGaussian;

    /// <summary>A generator for the stream named by <paramref name="seed"/> and <paramref name="keys"/>, each mixed in.</summary>
    public static SplitMix64 Derive(long seed, params ReadOnlySpan<long> keys)
    {
        var state = Mix((ulong)seed ^ 0x243F6A8885A308D3UL);
        foreach (var key in keys)
        {
            state = Mix(state ^ Mix((ulong)key + 0x9E3779B97F4A7C15UL));
        }

        return new SplitMix64(state);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(NextDouble() * count);
    }

    /// <summary>Standard normal deviate (Box-Muller, both values used).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A uniformly random permutation of 0..count-1 (Fisher-Yates).</summary>
    public int[] Permutation(int count)
    {
        var result = new int[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = i;
        }

        for (var i = count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (result[i], result[j]) = (result[j], result[i]);
        }

        return result;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
