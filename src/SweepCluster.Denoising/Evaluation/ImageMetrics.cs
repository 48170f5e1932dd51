namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// Image quality of an estimate against a reference image, both [H,W] row-major, computed in double precision.
/// Definitions follow scikit-image (<c>peak_signal_noise_ratio</c>, <c>structural_similarity</c>) and fastMRI's
/// evaluate (<c>nmse</c>).
/// </summary>
public static class ImageMetrics
{
    private const int SsimWindow = 7;
    private const double K1 = 0.01;
    private const double K2 = 0.03;

    /// <summary><c>10 log10(dataRange^2 / MSE)</c>; +infinity for identical images.</summary>
    public static double Psnr(ReadOnlySpan<float> reference, ReadOnlySpan<float> estimate, double dataRange)
    {
        CheckLengths(reference, estimate);
        var mse = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = (double)reference[i] - estimate[i];
            mse += d * d;
        }

        mse /= reference.Length;
        return 10 * Math.Log10(dataRange * dataRange / mse);
    }

    /// <summary>fastMRI's normalised MSE: <c>||reference - estimate||^2 / ||reference||^2</c>.</summary>
    public static double Nmse(ReadOnlySpan<float> reference, ReadOnlySpan<float> estimate)
    {
        CheckLengths(reference, estimate);
        double error = 0, energy = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            var d = (double)reference[i] - estimate[i];
            error += d * d;
            energy += (double)reference[i] * reference[i];
        }

        return error / energy;
    }

    /// <summary>
    /// Mean SSIM exactly as <c>skimage.metrics.structural_similarity(reference, estimate, win_size=7,
    /// data_range=dataRange)</c> (and fastMRI's evaluate) computes it: 7x7 uniform window, K1 = 0.01,
    /// K2 = 0.03, sample covariances (normalised by N/(N-1), N = 49), averaged over the pixels at least 3 from
    /// every border, whose windows lie wholly inside the image (so the filter's border mode never matters).
    /// </summary>
    public static double Ssim(ReadOnlySpan<float> reference, ReadOnlySpan<float> estimate, int height, int width, double dataRange)
    {
        CheckLengths(reference, estimate);
        if (reference.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} = {height * width} pixels, got {reference.Length}.", nameof(reference));
        }

        if (height < SsimWindow || width < SsimWindow)
        {
            throw new ArgumentException($"SSIM with a {SsimWindow}x{SsimWindow} window needs an image of at least that size, got {height}x{width}.");
        }

        // Summed-area tables of x, y, x^2, y^2, xy give each window's sums in O(1).
        var stride = width + 1;
        var sx = new double[(height + 1) * stride];
        var sy = new double[sx.Length];
        var sxx = new double[sx.Length];
        var syy = new double[sx.Length];
        var sxy = new double[sx.Length];
        for (var r = 0; r < height; r++)
        {
            double rx = 0, ry = 0, rxx = 0, ryy = 0, rxy = 0;
            for (var c = 0; c < width; c++)
            {
                double x = reference[(r * width) + c], y = estimate[(r * width) + c];
                rx += x;
                ry += y;
                rxx += x * x;
                ryy += y * y;
                rxy += x * y;
                var at = ((r + 1) * stride) + c + 1;
                var above = (r * stride) + c + 1;
                sx[at] = sx[above] + rx;
                sy[at] = sy[above] + ry;
                sxx[at] = sxx[above] + rxx;
                syy[at] = syy[above] + ryy;
                sxy[at] = sxy[above] + rxy;
            }
        }

        const double n = SsimWindow * SsimWindow;
        const double covarianceNorm = n / (n - 1);
        var c1 = Math.Pow(K1 * dataRange, 2);
        var c2 = Math.Pow(K2 * dataRange, 2);
        const int pad = (SsimWindow - 1) / 2;
        double total = 0;
        long count = 0;
        for (var r = pad; r < height - pad; r++)
        {
            for (var c = pad; c < width - pad; c++)
            {
                int top = r - pad, left = c - pad, bottom = r + pad + 1, right = c + pad + 1;
                double Box(double[] table) =>
                    (table[(bottom * stride) + right] - table[(top * stride) + right] - table[(bottom * stride) + left] + table[(top * stride) + left]) / n;
                var ux = Box(sx);
                var uy = Box(sy);
                var vx = covarianceNorm * (Box(sxx) - (ux * ux));
                var vy = covarianceNorm * (Box(syy) - (uy * uy));
                var vxy = covarianceNorm * (Box(sxy) - (ux * uy));
                var numerator = ((2 * ux * uy) + c1) * ((2 * vxy) + c2);
                var denominator = ((ux * ux) + (uy * uy) + c1) * (vx + vy + c2);
                total += numerator / denominator;
                count++;
            }
        }

        return total / count;
    }

    private static void CheckLengths(ReadOnlySpan<float> reference, ReadOnlySpan<float> estimate)
    {
        if (reference.Length != estimate.Length || reference.Length == 0)
        {
            throw new ArgumentException($"Images must be non-empty and of equal size, got {reference.Length} and {estimate.Length} pixels.");
        }
    }
}
