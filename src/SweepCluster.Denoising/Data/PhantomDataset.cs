using SweepCluster.Denoising.Configuration;

namespace SweepCluster.Denoising.Data;

/// <summary>
/// The synthetic training or validation set: <c>data.train_samples</c> or <c>data.val_samples</c> phantoms.
/// Training samples are flipped at random per (epoch, index) when <c>data.flip</c> is set.
/// </summary>
public sealed class PhantomDataset : IPairedDataset
{
    private readonly PhantomGenerator _generator;
    private readonly DataConfig _data;
    private readonly DataSplit _split;

    public PhantomDataset(DataConfig data, DataSplit split)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _split = split;
        _generator = new PhantomGenerator(data);
    }

    public int Count => _split == DataSplit.Train ? _data.TrainSamples : _data.ValSamples;

    /// <summary>1, or 2 ([real, imag]) for complex phantoms (<see cref="PhantomGenerator.Channels"/>).</summary>
    public int Channels => _generator.Channels;

    public int Height => _data.ImageSize;

    public int Width => _data.ImageSize;

    public bool HasCleanReference => true;

    public PairedSample Get(int index, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var sample = _generator.Generate(_split, index);
        if (_split == DataSplit.Validation || !_data.Flip)
        {
            return sample;
        }

        var rng = SplitMix64.Derive(_data.Seed, 100, epoch, index);
        return Augmentation.Flip(sample, rng.NextDouble() < 0.5, rng.NextDouble() < 0.5);
    }
}
