namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// Two-channel images are [real, imag] of one complex image (<see cref="Data.IPairedDataset.Channels"/>). PSNR,
/// SSIM, NMSE, the classical reference's tuning and the panels are defined on real images with a data range of 1, so
/// complex images are measured and shown by their magnitude <c>sqrt(re^2 + im^2)</c>, the image a radiologist reads;
/// the magnitude of a clean complex phantom is the real phantom. The leakage index stays on the complex images
/// (<see cref="OutputEvaluator.Measure"/> says why).
/// </summary>
public static class ComplexImages
{
    /// <summary>Whether images of <paramref name="channels"/> channels are complex ([real, imag]).</summary>
    public static bool IsComplex(int channels) => channels == 2;

    /// <summary>The magnitude plane of one [2,H,W] image.</summary>
    public static float[] Magnitude(ReadOnlySpan<float> realImag)
    {
        if (realImag.Length % 2 != 0)
        {
            throw new ArgumentException($"A [real, imag] image has an even number of values, got {realImag.Length}.", nameof(realImag));
        }

        var plane = realImag.Length / 2;
        var result = new float[plane];
        for (var i = 0; i < plane; i++)
        {
            double re = realImag[i], im = realImag[plane + i];
            result[i] = (float)Math.Sqrt((re * re) + (im * im));
        }

        return result;
    }
}
