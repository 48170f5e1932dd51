namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// A separable 2-D Gaussian filter of one [H,W] plane, as scipy's <c>gaussian_filter</c> (and so scikit-image's
/// <c>filters.gaussian</c>) computes it with <c>mode='nearest'</c> and <c>truncate=4.0</c>: the kernel has radius
/// <c>(int)(truncate * sigma + 0.5)</c>, weights <c>exp(-x^2 / (2 sigma^2))</c> normalised to sum 1, and the border
/// repeats the edge pixel. Rows first, then columns, in double precision.
/// </summary>
public static class GaussianFilter
{
    /// <summary>How many standard deviations the kernel reaches (scipy's default).</summary>
    public const double Truncate = 4.0;

    /// <summary>The filtered plane; <paramref name="sigma"/> 0 returns a copy.</summary>
    public static float[] Apply(ReadOnlySpan<float> plane, int height, int width, double sigma)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sigma);
        if (plane.Length != height * width)
        {
            throw new ArgumentException($"Expected {height * width} values for [{height},{width}], got {plane.Length}.", nameof(plane));
        }

        if (sigma == 0)
        {
            return plane.ToArray();
        }

        var kernel = Kernel(sigma);
        var radius = kernel.Length / 2;
        var rows = new double[plane.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double sum = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    sum += kernel[k + radius] * plane[(y * width) + Math.Clamp(x + k, 0, width - 1)];
                }

                rows[(y * width) + x] = sum;
            }
        }

        var result = new float[plane.Length];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                double sum = 0;
                for (var k = -radius; k <= radius; k++)
                {
                    sum += kernel[k + radius] * rows[(Math.Clamp(y + k, 0, height - 1) * width) + x];
                }

                result[(y * width) + x] = (float)sum;
            }
        }

        return result;
    }

    /// <summary>Every [H,W] plane of a [C,H,W] image filtered on its own.</summary>
    public static float[] ApplyPerChannel(float[] image, int channels, int height, int width, double sigma)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = height * width;
        var result = new float[image.Length];
        for (var c = 0; c < channels; c++)
        {
            Apply(image.AsSpan(c * plane, plane), height, width, sigma).CopyTo(result, c * plane);
        }

        return result;
    }

    private static double[] Kernel(double sigma)
    {
        var radius = (int)((Truncate * sigma) + 0.5);
        var kernel = new double[(2 * radius) + 1];
        double total = 0;
        for (var k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
            total += kernel[k + radius];
        }

        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= total;
        }

        return kernel;
    }
}
