namespace SweepCluster.Denoising.Configuration;

/// <summary>Loss weights of a schedule stage; a null weight falls back to <c>trainer.loss_weights</c>.</summary>
public sealed record PartialLossWeights(double? Content, double? Recon, double? Cross, double? Edge, double? Adversarial)
{
    /// <summary>These weights with every missing one taken from <paramref name="fallback"/>.</summary>
    public LossWeights Over(LossWeights fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new LossWeights(
            Content ?? fallback.Content,
            Recon ?? fallback.Recon,
            Cross ?? fallback.Cross,
            Edge ?? fallback.Edge,
            Adversarial ?? fallback.Adversarial);
    }
}
