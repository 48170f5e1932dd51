namespace SweepCluster.Denoising.Configuration;

/// <summary>Weights of the training loss terms.</summary>
public sealed record LossWeights(double Content, double Recon, double Cross, double Edge, double Adversarial)
{
    /// <summary>Linear interpolation: <paramref name="t"/> = 0 gives <paramref name="from"/>, 1 gives <paramref name="to"/>.</summary>
    public static LossWeights Lerp(LossWeights from, LossWeights to, double t)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        return new LossWeights(
            from.Content + ((to.Content - from.Content) * t),
            from.Recon + ((to.Recon - from.Recon) * t),
            from.Cross + ((to.Cross - from.Cross) * t),
            from.Edge + ((to.Edge - from.Edge) * t),
            from.Adversarial + ((to.Adversarial - from.Adversarial) * t));
    }
}
