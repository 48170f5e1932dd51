namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// <c>trainer.anti_collapse</c>: the public implementation's end-of-epoch adjustment of the loss weights. An epoch is
/// collapsed when the epoch mean of the latent variance or of the cross outputs' variance is below
/// <paramref name="Threshold"/>; after <paramref name="Patience"/> collapsed epochs in a row the content weight is
/// multiplied by <c>1 + factor</c> (at most <paramref name="MaxContent"/>), the recon weight by <c>1 - factor</c> (at
/// least <paramref name="MinRecon"/>), and the count restarts.
/// </summary>
public sealed record AntiCollapseConfig(bool Enabled, double Threshold, int Patience, double Factor, double MaxContent, double MinRecon);
