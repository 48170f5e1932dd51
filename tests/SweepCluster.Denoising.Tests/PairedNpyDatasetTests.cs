using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class PairedNpyDatasetTests
{
    private static DataConfig Data(string path, DataRepresentation representation = DataRepresentation.Magnitude) =>
        TrialConfig.Default.Data with
        {
            Kind = DataKind.Npy,
            Path = path,
            Representation = representation,
            ImageSize = 8,
            TrainSamples = 100,
            ValSamples = 1,
            BatchSize = 2,
        };

    [Fact]
    public void Pairs_are_matched_by_name_sliced_and_normalised_to_max_one()
    {
        using var temp = new TempDirectory();
        PythonReference.Run(
            """
            import numpy as np, os
            os.makedirs('a'); os.makedirs('b')
            rng = np.random.default_rng(0)
            np.save('a/k1.npy', (rng.random((3, 12, 10)) * 7).astype(np.float32))
            np.save('b/k1.npy', (rng.random((3, 12, 10)) * 3).astype(np.float64))
            np.save('a/k2.npy', (rng.random((12, 10)) + 1j * rng.random((12, 10))).astype(np.complex64))
            np.save('b/k2.npy', (rng.random((12, 10)) + 1j * rng.random((12, 10))).astype(np.complex64))
            """,
            temp.Path);

        var (train, validation) = PairedNpyDataset.Open(Data(temp.Path) with { });

        Assert.Equal(3, train.Count);
        Assert.Equal(1, validation.Count);
        Assert.False(train.HasCleanReference);
        Assert.Equal(1, train.Channels);
        var sample = validation.Get(0, 1);
        Assert.Equal(64, sample.NoisyA.Length);
        Assert.Null(sample.CleanA);
        Assert.True(sample.NoisyA.Max() <= 1f);
        Assert.True(sample.NoisyB.Min() >= 0f);
        Assert.Equal(validation.Get(0, 1).NoisyA, validation.Get(0, 7).NoisyA);
        Assert.Equal(train.Get(1, 2).NoisyB, train.Get(1, 2).NoisyB);
    }

    [Fact]
    public void Real_imag_representation_gives_two_channels()
    {
        using var temp = new TempDirectory();
        PythonReference.Run(
            """
            import numpy as np, os
            os.makedirs('a'); os.makedirs('b')
            for name in ['s1.npy', 's2.npy']:
                for side in 'ab':
                    np.save(f'{side}/{name}', (np.ones((8, 8)) * (3 + 4j)).astype(np.complex64))
            """,
            temp.Path);

        var (train, _) = PairedNpyDataset.Open(Data(temp.Path, DataRepresentation.RealImag));

        var sample = train.Get(0, 1);
        Assert.Equal(2, sample.Channels);
        Assert.Equal(0.6f, sample.NoisyA[0], 6);
        Assert.Equal(0.8f, sample.NoisyA[64], 6);
    }

    [Fact]
    public void Bad_files_are_all_reported_by_name()
    {
        using var temp = new TempDirectory();
        PythonReference.Run(
            """
            import numpy as np, os
            os.makedirs('a'); os.makedirs('b')
            np.save('a/ok.npy', np.ones((8, 8), np.float32)); np.save('b/ok.npy', np.ones((8, 8), np.float32))
            np.save('a/lonely.npy', np.ones((8, 8), np.float32))
            np.save('a/shape.npy', np.ones((8, 8), np.float32)); np.save('b/shape.npy', np.ones((9, 8), np.float32))
            np.save('a/ints.npy', np.ones((8, 8), np.int16)); np.save('b/ints.npy', np.ones((8, 8), np.float32))
            open('b/magic.npy', 'w').write('nope'); np.save('a/magic.npy', np.ones((8, 8), np.float32))
            """,
            temp.Path);

        var ex = Assert.Throws<InvalidDataException>(() => PairedNpyDataset.Open(Data(temp.Path)));

        Assert.Contains("lonely.npy: no partner", ex.Message, StringComparison.Ordinal);
        Assert.Contains("shape.npy: shape (9, 8) does not match its partner", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ints.npy: unsupported dtype '<i2'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("magic.npy: not an NPY file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ok.npy", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Images_smaller_than_the_crop_are_refused()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("a"));
        Directory.CreateDirectory(temp.File("b"));
        NpyWriter.WriteFloat32(Path.Combine(temp.Path, "a", "x.npy"), new float[16], 4, 4);
        NpyWriter.WriteFloat32(Path.Combine(temp.Path, "b", "x.npy"), new float[16], 4, 4);

        var ex = Assert.Throws<InvalidDataException>(() => PairedNpyDataset.Open(Data(temp.Path)));

        Assert.Contains("smaller than the crop data.image_size = 8", ex.Message, StringComparison.Ordinal);
    }
}
