using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

/// <summary>
/// PSNR, SSIM and NMSE against scikit-image 0.19 / fastMRI's definitions, computed by /usr/bin/python3 on the
/// same arrays (converted to float64 there, as this code computes in double). Tolerance: 1e-9 absolute for
/// SSIM and NMSE, 1e-9 dB for PSNR; the two only differ by summation order.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ImageMetricsTests
{
    private const double Tolerance = 1e-9;

    public static TheoryData<string, int, int> Cases => new()
    {
        { "random", 37, 29 },
        { "phantom", 64, 64 },
        { "small", 7, 9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Psnr_ssim_and_nmse_match_scikit_image(string kind, int height, int width)
    {
        var (reference, estimate) = Images(kind, height, width);
        var dataRange = reference.Max() - reference.Min();
        using var temp = new TempDirectory();
        NpyWriter.WriteFloat32(temp.File("ref.npy"), reference, height, width);
        NpyWriter.WriteFloat32(temp.File("est.npy"), estimate, height, width);

        var expected = PythonReference.RunNumbers(
            $"""
            import numpy as np
            from skimage.metrics import structural_similarity, peak_signal_noise_ratio
            x = np.load('ref.npy').astype(np.float64); y = np.load('est.npy').astype(np.float64)
            r = float(np.float32({dataRange.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}))
            print(repr(peak_signal_noise_ratio(x, y, data_range=r)))
            print(repr(structural_similarity(x, y, win_size=7, data_range=r)))
            print(repr(np.linalg.norm(x - y) ** 2 / np.linalg.norm(x) ** 2))
            """,
            temp.Path);

        Assert.Equal(expected[0], ImageMetrics.Psnr(reference, estimate, dataRange), Tolerance);
        Assert.Equal(expected[1], ImageMetrics.Ssim(reference, estimate, height, width, dataRange), Tolerance);
        Assert.Equal(expected[2], ImageMetrics.Nmse(reference, estimate), Tolerance);
    }

    [Fact]
    public void Identical_images_have_ssim_one_and_infinite_psnr()
    {
        var (reference, _) = Images("random", 16, 16);

        Assert.Equal(1.0, ImageMetrics.Ssim(reference, reference, 16, 16, 1), 12);
        Assert.True(double.IsPositiveInfinity(ImageMetrics.Psnr(reference, reference, 1)));
        Assert.Equal(0, ImageMetrics.Nmse(reference, reference));
    }

    [Fact]
    public void Ssim_refuses_images_smaller_than_the_window()
    {
        Assert.Throws<ArgumentException>(() => ImageMetrics.Ssim(new float[36], new float[36], 6, 6, 1));
    }

    private static (float[] Reference, float[] Estimate) Images(string kind, int height, int width)
    {
        if (kind == "phantom")
        {
            var data = TrialConfig.Default.Data with { ImageSize = height };
            var sample = new PhantomGenerator(data).Generate(DataSplit.Validation, 0);
            return (sample.CleanA!, sample.NoisyA);
        }

        var rng = new SplitMix64((ulong)(height * 1000) + (ulong)width);
        float[] reference = [.. Enumerable.Range(0, height * width).Select(_ => (float)rng.NextDouble())];
        float[] estimate = [.. reference.Select(v => v + (float)(0.2 * rng.NextGaussian()))];
        return (reference, estimate);
    }
}
