namespace SweepCluster.Denoising.Data;

/// <summary>
/// Batches by (epoch, step), deterministic from the seed. With shuffling, the data set is visited in a fresh
/// permutation per pass, and a pass that runs out mid-epoch continues into the next permutation, so any
/// <c>steps_per_epoch</c> works. Without shuffling (validation), batch k holds samples k*B .. k*B+B-1 and the
/// last batch may be shorter.
/// </summary>
public sealed class BatchLoader
{
    private readonly IPairedDataset _dataset;
    private readonly long _seed;
    private readonly bool _shuffle;

    public BatchLoader(IPairedDataset dataset, int batchSize, long seed, bool shuffle)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dataset.Count);
        _dataset = dataset;
        BatchSize = batchSize;
        _seed = seed;
        _shuffle = shuffle;
    }

    public int BatchSize { get; }

    /// <summary>Batches in one sequential pass (the last one possibly shorter).</summary>
    public int BatchesPerPass => (_dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The data-set indices of batch <paramref name="step"/> (0-based) of the 1-based <paramref name="epoch"/>.</summary>
    public int[] Indices(int epoch, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var count = _dataset.Count;
        if (!_shuffle)
        {
            var start = (step % BatchesPerPass) * BatchSize;
            return [.. Enumerable.Range(start, Math.Min(BatchSize, count - start))];
        }

        var result = new int[BatchSize];
        long position = (long)step * BatchSize;
        int[]? permutation = null;
        long permutationPass = -1;
        for (var i = 0; i < BatchSize; i++, position++)
        {
            var pass = position / count;
            if (pass != permutationPass)
            {
                permutation = SplitMix64.Derive(_seed, 200, epoch, pass).Permutation(count);
                permutationPass = pass;
            }

            result[i] = permutation![(int)(position % count)];
        }

        return result;
    }

    public PairedBatch GetBatch(int epoch, int step)
    {
        var indices = Indices(epoch, step);
        var samples = new PairedSample[indices.Length];
        Parallel.For(0, indices.Length, i => samples[i] = _dataset.Get(indices[i], epoch));
        return new PairedBatch(indices, samples);
    }
}
