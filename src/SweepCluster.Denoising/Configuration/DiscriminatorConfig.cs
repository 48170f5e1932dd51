namespace SweepCluster.Denoising.Configuration;

/// <summary>PatchGAN between same- and cross-domain reconstructions (Solution D), with its own learning rate.</summary>
public sealed record DiscriminatorConfig(bool Enabled, IReadOnlyList<int> Features, double Lr);
