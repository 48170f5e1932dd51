namespace SweepCluster.Denoising.Evaluation;

/// <summary>
/// How much of the input's own noise an output reproduces: the Pearson correlation between the output's
/// error (output - clean) and the noise that was added to the input. About 0: no leakage (the error is
/// unrelated to the input noise); 1: the output carries the input noise through (an identity map gives 1,
/// and so does clean + k * noise for any k &gt; 0).
/// </summary>
public static class NoiseLeakage
{
    /// <summary>The leakage index in [-1, 1]; 0 when the error or the noise is constant (no correlation is defined).</summary>
    public static double Index(ReadOnlySpan<float> output, ReadOnlySpan<float> clean, ReadOnlySpan<float> inputNoise)
    {
        if (output.Length != clean.Length || output.Length != inputNoise.Length || output.Length == 0)
        {
            throw new ArgumentException("Output, clean image and noise must be non-empty and of equal size.");
        }

        double meanError = 0, meanNoise = 0;
        for (var i = 0; i < output.Length; i++)
        {
            meanError += (double)output[i] - clean[i];
            meanNoise += inputNoise[i];
        }

        meanError /= output.Length;
        meanNoise /= output.Length;
        double covariance = 0, errorVariance = 0, noiseVariance = 0;
        for (var i = 0; i < output.Length; i++)
        {
            var e = (double)output[i] - clean[i] - meanError;
            var n = inputNoise[i] - meanNoise;
            covariance += e * n;
            errorVariance += e * e;
            noiseVariance += n * n;
        }

        // A float round-off floor: an error that is exactly zero up to float precision has no direction.
        return errorVariance <= 1e-24 * output.Length || noiseVariance <= 1e-24 * output.Length
            ? 0
            : covariance / Math.Sqrt(errorVariance * noiseVariance);
    }
}
