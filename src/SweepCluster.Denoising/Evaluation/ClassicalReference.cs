using SweepCluster.Denoising.Data;

namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// The classical reference: a <see cref="GaussianFilter"/> whose width is chosen on the training split (the sigma of
/// <see cref="SigmaGrid"/> with the highest mean PSNR against clean over both contrasts of at most
/// <see cref="MaxTuningSamples"/> training samples), then applied to the validation noisy inputs and measured like
/// the network's outputs. Needs clean images; pure apart from reading the data sets. Complex images are filtered part
/// by part (a linear filter of a complex image) and scored by their magnitude, like the network's outputs.
/// </summary>
public static class ClassicalReference
{
    /// <summary>The candidate widths in pixels.</summary>
    public static readonly IReadOnlyList<double> SigmaGrid = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0];

    /// <summary>Tuning reads the first training samples only: the choice settles long before, and it runs in every trial.</summary>
    public const int MaxTuningSamples = 64;

    /// <summary>The tuned filter measured on the validation set; null when either set lacks clean images.</summary>
    public static ClassicalResult? Measure(IPairedDataset train, IPairedDataset validation)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (!train.HasCleanReference || !validation.HasCleanReference || train.Count == 0 || validation.Count == 0)
        {
            return null;
        }

        var sigma = ChooseSigma(train, SigmaGrid);
        var (channels, height, width) = (validation.Channels, validation.Height, validation.Width);
        var samples = Enumerable.Range(0, validation.Count).Select(i => validation.Get(i, 1)).ToList();
        List<float[]> Filtered(Func<PairedSample, float[]> noisy) =>
            [.. samples.AsParallel().AsOrdered().Select(s => GaussianFilter.ApplyPerChannel(noisy(s), channels, height, width, sigma))];
        List<float[]> All(Func<PairedSample, float[]?> select) => [.. samples.Select(s => select(s)!)];
        var noiseA = All(s => s.NoiseA ?? Subtract(s.NoisyA, s.CleanA!));
        var noiseB = All(s => s.NoiseB ?? Subtract(s.NoisyB, s.CleanB!));
        var a = OutputEvaluator.Measure(Filtered(s => s.NoisyA), All(s => s.CleanA), noiseA, noiseB, channels, height, width);
        var b = OutputEvaluator.Measure(Filtered(s => s.NoisyB), All(s => s.CleanB), noiseA, noiseB, channels, height, width);
        return new ClassicalResult(sigma, a, b);
    }

    /// <summary>The sigma of <paramref name="grid"/> with the highest mean PSNR (data range 1) over both contrasts; the first on a tie.</summary>
    public static double ChooseSigma(IPairedDataset train, IReadOnlyList<double> grid)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(grid);
        if (grid.Count == 0)
        {
            throw new ArgumentException("The sigma grid is empty.", nameof(grid));
        }

        var (channels, height, width) = (train.Channels, train.Height, train.Width);
        var plane = height * width;
        var samples = Enumerable.Range(0, Math.Min(train.Count, MaxTuningSamples)).Select(i => train.Get(i, 1)).ToList();
        var scores = grid.AsParallel().AsOrdered().Select(sigma =>
        {
            double total = 0;
            foreach (var sample in samples)
            {
                foreach (var (noisy, clean) in new[] { (sample.NoisyA, sample.CleanA!), (sample.NoisyB, sample.CleanB!) })
                {
                    var filtered = GaussianFilter.ApplyPerChannel(noisy, channels, height, width, sigma);
                    if (ComplexImages.IsComplex(channels))
                    {
                        total += ImageMetrics.Psnr(ComplexImages.Magnitude(clean), ComplexImages.Magnitude(filtered), OutputEvaluator.DataRange);
                        continue;
                    }

                    for (var c = 0; c < channels; c++)
                    {
                        total += ImageMetrics.Psnr(clean.AsSpan(c * plane, plane), filtered.AsSpan(c * plane, plane), OutputEvaluator.DataRange);
                    }
                }
            }

            return total;
        }).ToList();
        var best = 0;
        for (var i = 1; i < scores.Count; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return grid[best];
    }

    private static float[] Subtract(float[] a, float[] b)
    {
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++)
        {
            result[i] = a[i] - b[i];
        }

        return result;
    }
}
