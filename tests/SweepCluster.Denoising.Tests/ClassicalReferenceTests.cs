using System.Globalization;
using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// The classical reference against scikit-image 0.19: <c>skimage.filters.gaussian(x, sigma, mode='nearest',
/// truncate=4.0, preserve_range=True)</c> on float64 copies of the same float32 images, and
/// <c>skimage.metrics.peak_signal_noise_ratio(clean, filtered, data_range=1.0)</c>. The filter is compared to 1e-5
/// (this code rounds its output to float32); the PSNR to 1e-4 dB.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ClassicalReferenceTests
{
    [Theory]
    [InlineData(0.75)]
    [InlineData(1.5)]
    [InlineData(3.0)]
    public void Gaussian_filter_matches_scikit_image_with_nearest_border_and_truncate_4(double sigma)
    {
        const int Height = 37, Width = 29;
        var rng = new SplitMix64(7);
        float[] image = [.. Enumerable.Range(0, Height * Width).Select(_ => (float)rng.NextDouble())];
        using var temp = new TempDirectory();
        NpyWriter.WriteFloat32(temp.File("x.npy"), image, Height, Width);

        var expected = PythonReference.RunNumbers(
            $"""
            import numpy as np
            from skimage.filters import gaussian
            x = np.load('x.npy').astype(np.float64)
            y = gaussian(x, sigma={Text(sigma)}, mode='nearest', truncate=4.0, preserve_range=True)
            print('\n'.join(repr(float(v)) for v in y.ravel()))
            """,
            temp.Path);

        var actual = GaussianFilter.Apply(image, Height, Width, sigma);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"pixel {i}: {actual[i]} vs scikit-image {expected[i]}");
        }
    }

    [Fact]
    public void Sigma_is_chosen_on_the_training_split_and_the_validation_psnr_matches_scikit_image()
    {
        var data = TrialConfig.Default.Data with { ImageSize = 32, TrainSamples = 6, ValSamples = 3, Noise = new NoiseConfig(NoiseKind.Gaussian, 0.1, 0.06) };
        var (train, validation) = (new PhantomDataset(data, DataSplit.Train), new PhantomDataset(data, DataSplit.Validation));
        using var temp = new TempDirectory();
        void Write(string name, IPairedDataset set, Func<PairedSample, float[]> select) =>
            NpyWriter.WriteFloat32(temp.File(name), [.. Enumerable.Range(0, set.Count).SelectMany(i => select(set.Get(i, 1)))], set.Count, 32, 32);
        Write("tna.npy", train, s => s.NoisyA);
        Write("tca.npy", train, s => s.CleanA!);
        Write("tnb.npy", train, s => s.NoisyB);
        Write("tcb.npy", train, s => s.CleanB!);
        Write("vna.npy", validation, s => s.NoisyA);
        Write("vca.npy", validation, s => s.CleanA!);
        Write("vnb.npy", validation, s => s.NoisyB);
        Write("vcb.npy", validation, s => s.CleanB!);
        var grid = string.Join(", ", ClassicalReference.SigmaGrid.Select(Text));

        var expected = PythonReference.RunNumbers(
            $"""
            import numpy as np
            from skimage.filters import gaussian
            from skimage.metrics import peak_signal_noise_ratio as psnr
            L = lambda n: np.load(n + '.npy').astype(np.float64)
            f = lambda x, s: gaussian(x, sigma=s, mode='nearest', truncate=4.0, preserve_range=True)
            score = lambda s, noisy, clean: sum(psnr(c, f(n, s), data_range=1.0) for n, c in zip(noisy, clean))
            grid = [{grid}]
            totals = [score(s, L('tna'), L('tca')) + score(s, L('tnb'), L('tcb')) for s in grid]
            best = grid[int(np.argmax(totals))]
            print(repr(best))
            print(repr(np.mean([psnr(c, f(n, best), data_range=1.0) for n, c in zip(L('vna'), L('vca'))])))
            print(repr(np.mean([psnr(c, f(n, best), data_range=1.0) for n, c in zip(L('vnb'), L('vcb'))])))
            """,
            temp.Path);

        var result = ClassicalReference.Measure(train, validation)!;
        Assert.Equal(expected[0], result.Sigma);
        Assert.Equal(expected[1], result.A.Psnr, 1e-4);
        Assert.Equal(expected[2], result.B.Psnr, 1e-4);
        Assert.Equal((expected[1] + expected[2]) / 2, result.Psnr, 1e-4);

        // A tuned filter denoises, and keeps part of the input's noise (a fixed filter cannot tell noise from detail).
        Assert.True(result.Leakage is > 0 and < 1, $"classical leakage {result.Leakage}");
    }

    [Fact]
    public void Data_without_clean_images_have_no_classical_reference()
    {
        var data = TrialConfig.Default.Data with { ImageSize = 16, TrainSamples = 2, ValSamples = 2 };
        var clean = new PhantomDataset(data, DataSplit.Validation);
        Assert.Null(ClassicalReference.Measure(new WithoutClean(clean), clean));
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The same samples stripped of their clean images, as NPY data arrive.</summary>
    private sealed class WithoutClean(IPairedDataset inner) : IPairedDataset
    {
        public int Count => inner.Count;

        public int Channels => inner.Channels;

        public int Height => inner.Height;

        public int Width => inner.Width;

        public bool HasCleanReference => false;

        public PairedSample Get(int index, int epoch)
        {
            var s = inner.Get(index, epoch);
            return new PairedSample(s.Channels, s.Height, s.Width, s.NoisyA, s.NoisyB);
        }
    }
}
