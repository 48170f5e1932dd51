namespace SweepCluster.Sweeps;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its definition, so random sweeps draw
/// the same samples on every machine and runtime version (System.Random promises no such thing).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform integer in [low, high] (both included), without modulo bias.</summary>
    public long NextInclusive(long low, long high)
    {
        var range = (ulong)(high - low) + 1;
        if (range == 0)
        {
            return (long)NextUInt64();
        }

        var limit = ulong.MaxValue - (ulong.MaxValue % range);
        ulong draw;
        do
        {
            draw = NextUInt64();
        }
        while (draw >= limit);

        return low + (long)(draw % range);
    }
}
