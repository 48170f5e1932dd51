namespace SweepCluster.Denoising.Rendering;

/// <summary>
/// One labelled image of a panel, [H,W] row-major; values map linearly from [<see cref="Low"/>, <see cref="High"/>]
/// to black..white and are clipped outside it.
/// </summary>
public sealed record PanelTile(string Label, float[] Pixels, int Height, int Width, double Low, double High)
{
    /// <summary>An image shown on the [0, 1] intensity scale of the normalised data.</summary>
    public static PanelTile Image(string label, float[] pixels, int height, int width) => new(label, pixels, height, width, 0, 1);

    /// <summary>
    /// The absolute error <c>|estimate - reference|</c>, scaled by <paramref name="gain"/> so that an error of
    /// 1/gain is white (a gain of 5 makes errors at noise level, about 0.1, clearly visible).
    /// </summary>
    public static PanelTile Error(string label, ReadOnlySpan<float> estimate, ReadOnlySpan<float> reference, int height, int width, double gain = 5)
    {
        if (estimate.Length != reference.Length)
        {
            throw new ArgumentException("Estimate and reference differ in size.", nameof(reference));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gain);
        var error = new float[estimate.Length];
        for (var i = 0; i < error.Length; i++)
        {
            error[i] = Math.Abs(estimate[i] - reference[i]);
        }

        return new PanelTile($"{label} x{gain:0.#}", error, height, width, 0, 1 / gain);
    }
}
