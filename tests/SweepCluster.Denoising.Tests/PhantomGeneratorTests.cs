using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Data;
using SweepCluster.Denoising.Evaluation;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class PhantomGeneratorTests
{
    private static DataConfig Data(Func<DataConfig, DataConfig>? change = null)
    {
        var data = TrialConfig.Default.Data with { ImageSize = 64 };
        return change is null ? data : change(data);
    }

    [Fact]
    public void Same_seed_gives_identical_samples_and_another_seed_different_ones()
    {
        var first = new PhantomGenerator(Data()).Generate(DataSplit.Train, 3);
        var second = new PhantomGenerator(Data()).Generate(DataSplit.Train, 3);
        var other = new PhantomGenerator(Data(d => d with { Seed = 99 })).Generate(DataSplit.Train, 3);

        Assert.Equal(first.NoisyA, second.NoisyA);
        Assert.Equal(first.CleanB, second.CleanB);
        Assert.NotEqual(first.CleanA, other.CleanA);
    }

    [Fact]
    public void Training_and_validation_sets_use_different_streams()
    {
        var generator = new PhantomGenerator(Data());

        Assert.NotEqual(generator.Generate(DataSplit.Train, 0).CleanA, generator.Generate(DataSplit.Validation, 0).CleanA);
    }

    [Fact]
    public void Clean_images_are_normalised_to_a_maximum_of_one()
    {
        var sample = new PhantomGenerator(Data(d => d with { BiasField = 0.3 })).Generate(DataSplit.Train, 0);

        Assert.Equal(1f, sample.CleanA!.Max(), 5);
        Assert.Equal(1f, sample.CleanB!.Max(), 5);
        Assert.True(sample.CleanA!.Min() >= 0);
    }

    [Fact]
    public void Gaussian_noise_has_the_configured_std_and_is_uncorrelated_between_contrasts()
    {
        var sample = new PhantomGenerator(Data(d => d with { ImageSize = 128, Noise = new NoiseConfig(NoiseKind.Gaussian, 0.05, 0.12) })).Generate(DataSplit.Train, 1);

        var (meanA, stdA) = MeanStd(sample.NoiseA!);
        var (_, stdB) = MeanStd(sample.NoiseB!);

        // 16384 samples: the std of the std estimate is about sigma / sqrt(2n), under 0.6 %; allow 3 %.
        Assert.Equal(0.05, stdA, 0.05 * 0.03);
        Assert.Equal(0.12, stdB, 0.12 * 0.03);
        Assert.True(Math.Abs(meanA) < 0.002);
        Assert.True(Math.Abs(Correlation(sample.NoiseA!, sample.NoiseB!)) < 0.03);
        for (var i = 0; i < sample.NoisyA.Length; i++)
        {
            Assert.Equal(sample.NoisyA[i] - sample.CleanA![i], sample.NoiseA![i]);
        }
    }

    [Fact]
    public void Rician_noise_is_non_negative_magnitude()
    {
        var sample = new PhantomGenerator(Data(d => d with { Noise = new NoiseConfig(NoiseKind.Rician, 0.1, 0.1) })).Generate(DataSplit.Train, 0);

        Assert.True(sample.NoisyA.Min() >= 0);
        var background = Enumerable.Range(0, sample.NoisyA.Length).Where(i => sample.Tissue![i] == Tissue.Background && sample.CleanA![i] < 1e-4).ToArray();
        Assert.NotEmpty(background);

        // In the background the magnitude of complex noise is Rayleigh: mean sigma * sqrt(pi / 2).
        Assert.Equal(0.1 * Math.Sqrt(Math.PI / 2), background.Average(i => sample.NoisyA[i]), 0.01);
    }

    [Fact]
    public void Fat_is_darker_in_the_fat_suppressed_contrast_and_fluid_brighter_relative_to_muscle()
    {
        var sample = new PhantomGenerator(Data()).Generate(DataSplit.Train, 2);

        double MeanOf(float[] image, Tissue tissue) =>
            Enumerable.Range(0, image.Length).Where(i => sample.Tissue![i] == tissue).Average(i => image[i]);

        Assert.True(MeanOf(sample.CleanB!, Tissue.Fat) < 0.5 * MeanOf(sample.CleanA!, Tissue.Fat));
        Assert.True(MeanOf(sample.CleanB!, Tissue.Marrow) < 0.5 * MeanOf(sample.CleanA!, Tissue.Marrow));
        Assert.True(MeanOf(sample.CleanB!, Tissue.Muscle) > 0.05);
    }

    [Fact]
    public void Contrast_specific_structures_each_appear_in_one_contrast_only()
    {
        var plain = new PhantomGenerator(Data()).Generate(DataSplit.Train, 4);
        var specific = new PhantomGenerator(Data(d => d with { ContrastSpecific = true })).Generate(DataSplit.Train, 4);

        var changedA = Changed(plain.CleanA!, specific.CleanA!);
        var changedB = Changed(plain.CleanB!, specific.CleanB!);

        Assert.NotEmpty(changedA);
        Assert.NotEmpty(changedB);

        // Dark lines were drawn in A, bright lesions in B: distinct structures, each in one contrast (they may
        // overlap by chance, so the check is on the direction of the change, not on disjoint pixels).
        Assert.True(changedA.Count(i => specific.CleanA![i] < plain.CleanA![i]) >= 0.9 * changedA.Count);
        Assert.True(changedB.Count(i => specific.CleanB![i] > plain.CleanB![i]) >= 0.9 * changedB.Count);
        Assert.True(changedA.Intersect(changedB).Count() < Math.Min(changedA.Count, changedB.Count));
        Assert.True(changedA.Count < plain.CleanA!.Length / 10);
        Assert.True(changedB.Count < plain.CleanB!.Length / 10);

        // Same noise draws; only float rounding of noisy - clean differs where the image changed.
        for (var i = 0; i < plain.NoiseA!.Length; i++)
        {
            Assert.Equal(plain.NoiseA[i], specific.NoiseA![i], 1e-6);
        }
    }

    [Fact]
    public void Misregistration_moves_only_contrast_b()
    {
        var plain = new PhantomGenerator(Data()).Generate(DataSplit.Train, 5);
        var shifted = new PhantomGenerator(Data(d => d with { Misregistration = 1.5 })).Generate(DataSplit.Train, 5);

        Assert.Equal(plain.CleanA, shifted.CleanA);
        Assert.NotEqual(plain.CleanB, shifted.CleanB);
    }

    [Fact]
    public void Shift_by_whole_pixels_moves_the_image_and_half_a_pixel_averages_neighbours()
    {
        var image = new double[16];
        image[5] = 1; // (x 1, y 1) of a 4x4 image

        var whole = PhantomGenerator.Shift(image, 4, 1, 0);
        var half = PhantomGenerator.Shift(image, 4, 0.5, 0);

        Assert.Equal(1, whole[6]);
        Assert.Equal(0.5, half[5], 12);
        Assert.Equal(0.5, half[6], 12);
    }

    [Fact]
    public void Batches_stack_samples_and_are_deterministic()
    {
        var data = Data(d => d with { ImageSize = 32, TrainSamples = 10, BatchSize = 4 });
        var loader = new BatchLoader(new PhantomDataset(data, DataSplit.Train), 4, data.Seed, shuffle: true);

        var batch = loader.GetBatch(1, 0);
        var again = loader.GetBatch(1, 0);

        Assert.Equal([4L, 1, 32, 32], batch.Shape);
        Assert.Equal(4 * 32 * 32, batch.NoisyA.Length);
        Assert.Equal(batch.NoisyB, again.NoisyB);
        Assert.NotNull(batch.CleanA);

        // Over one pass of 10 samples (steps 0..1 plus half of step 2) every index appears exactly once.
        var pass = loader.Indices(1, 0).Concat(loader.Indices(1, 1)).Concat(loader.Indices(1, 2).Take(2)).Order();
        Assert.Equal(Enumerable.Range(0, 10), pass);
    }

    [Fact]
    public void Phase_phantoms_have_two_channels_whose_clean_magnitude_is_the_real_phantom()
    {
        // With every other option on: the phase is applied last, so the magnitudes are untouched.
        DataConfig With(DataConfig d) => d with { BiasField = 0.3, ContrastSpecific = true, Misregistration = 0.7 };
        var real = new PhantomGenerator(Data(With)).Generate(DataSplit.Train, 2);
        var generator = new PhantomGenerator(Data(d => With(d) with { Phase = 1.2 }));
        var complex = generator.Generate(DataSplit.Train, 2);

        Assert.Equal(2, generator.Channels);
        Assert.Equal(2, new PhantomDataset(Data(d => d with { Phase = 1.2 }), DataSplit.Validation).Channels);
        Assert.Equal(2, complex.Channels);
        Assert.Equal(2 * 64 * 64, complex.CleanA!.Length);
        Assert.Equal(2 * 64 * 64, complex.NoisyB.Length);
        foreach (var (magnitude, realImag) in new[] { (real.CleanA!, complex.CleanA!), (real.CleanB!, complex.CleanB!) })
        {
            var measured = ComplexImages.Magnitude(realImag);
            for (var i = 0; i < magnitude.Length; i++)
            {
                Assert.True(Math.Abs(measured[i] - magnitude[i]) <= 1e-6, $"pixel {i}: |clean| {measured[i]}, real phantom {magnitude[i]}");
            }
        }

        Assert.Equal(real.Tissue, complex.Tissue);
    }

    [Fact]
    public void The_phase_map_is_shared_by_both_contrasts_smooth_bounded_and_deterministic()
    {
        const double amplitude = 1.2;
        const int n = 64;
        var data = Data(d => d with { Phase = amplitude });
        var sample = new PhantomGenerator(data).Generate(DataSplit.Train, 4);
        var again = new PhantomGenerator(data).Generate(DataSplit.Train, 4);
        Assert.Equal(sample.CleanA, again.CleanA);
        Assert.Equal(sample.NoisyB, again.NoisyB);

        var phaseA = Phase(sample.CleanA!, 0.05);
        var phaseB = Phase(sample.CleanB!, 0.05);
        var defined = Enumerable.Range(0, n * n).Where(i => !double.IsNaN(phaseA[i])).ToList();
        Assert.True(defined.Count > n * n / 4, $"only {defined.Count} pixels carry signal");
        Assert.All(defined, i => Assert.InRange(phaseA[i], -amplitude - 1e-6, amplitude + 1e-6));
        Assert.All(defined.Where(i => !double.IsNaN(phaseB[i])), i => Assert.True(Math.Abs(phaseA[i] - phaseB[i]) < 1e-4, $"pixel {i}: phase a {phaseA[i]}, b {phaseB[i]}"));
        Assert.True(defined.Max(i => phaseA[i]) - defined.Min(i => phaseA[i]) > 0.2 * amplitude, "the phase map is nearly constant");

        // A normalised sum of plane waves cos(pi f x + c) with |f| <= PhaseMaxFrequency changes by at most
        // amplitude * pi * f per unit, and a pixel is 2 / n units.
        var bound = amplitude * Math.PI * PhantomGenerator.PhaseMaxFrequency * 2 / n;
        var steps = 0;
        foreach (var i in defined)
        {
            foreach (var neighbour in new[] { i % n < n - 1 ? i + 1 : -1, i + n < n * n ? i + n : -1 })
            {
                if (neighbour >= 0 && !double.IsNaN(phaseA[neighbour]))
                {
                    Assert.True(Math.Abs(phaseA[i] - phaseA[neighbour]) <= bound * 1.01, $"pixels {i} and {neighbour}: phase step {Math.Abs(phaseA[i] - phaseA[neighbour])} above {bound}");
                    steps++;
                }
            }
        }

        Assert.True(steps > defined.Count, "too few neighbouring pairs checked");
    }

    [Fact]
    public void Complex_phantoms_add_independent_gaussian_noise_to_each_part_and_the_real_part_keeps_the_real_noise()
    {
        const double sigma = 0.08;
        var real = new PhantomGenerator(Data()).Generate(DataSplit.Train, 1);
        var complex = new PhantomGenerator(Data(d => d with { Representation = DataRepresentation.RealImag })).Generate(DataSplit.Train, 1);
        var plane = 64 * 64;

        // Without a phase the clean image is real: the real part is the phantom, the imaginary part 0.
        Assert.Equal(real.CleanA, complex.CleanA![..plane]);
        Assert.All(complex.CleanA[plane..], v => Assert.Equal(0f, v));
        Assert.Equal(real.NoisyA, complex.NoisyA[..plane]);
        var noiseRe = complex.NoiseA![..plane];
        var noiseIm = complex.NoiseA[plane..];
        Assert.Equal(sigma, MeanStd(noiseRe).Std, 0.006);
        Assert.Equal(sigma, MeanStd(noiseIm).Std, 0.006);
        Assert.InRange(Math.Abs(Correlation(noiseRe, noiseIm)), 0, 0.06);
        Assert.InRange(Math.Abs(Correlation(complex.NoiseA, complex.NoiseB!)), 0, 0.06);
    }

    [Fact]
    public void Complex_phantoms_refuse_rician_noise()
    {
        Assert.Throws<ArgumentException>(() => new PhantomGenerator(Data(d => d with { Phase = 0.5, Noise = d.Noise with { Kind = NoiseKind.Rician } })));
    }

    /// <summary>atan2(im, re) per pixel of a [real, imag] image; NaN where the magnitude is below <paramref name="floor"/>.</summary>
    private static double[] Phase(float[] realImag, double floor)
    {
        var plane = realImag.Length / 2;
        return [.. Enumerable.Range(0, plane).Select(i =>
            Math.Sqrt(((double)realImag[i] * realImag[i]) + ((double)realImag[plane + i] * realImag[plane + i])) < floor
                ? double.NaN
                : Math.Atan2(realImag[plane + i], realImag[i]))];
    }

    // Soft edges reach far with tiny values; count only visible changes.
    private static List<int> Changed(float[] before, float[] after) =>
        [.. Enumerable.Range(0, before.Length).Where(i => Math.Abs(before[i] - after[i]) > 1e-3)];

    private static (double Mean, double Std) MeanStd(float[] values)
    {
        var mean = values.Average(v => (double)v);
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)));
    }

    private static double Correlation(float[] x, float[] y)
    {
        var (mx, sx) = MeanStd(x);
        var (my, sy) = MeanStd(y);
        var covariance = Enumerable.Range(0, x.Length).Sum(i => (x[i] - mx) * (y[i] - my)) / (x.Length - 1);
        return covariance / (sx * sy);
    }
}
