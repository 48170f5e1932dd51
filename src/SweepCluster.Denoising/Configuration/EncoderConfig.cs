namespace SweepCluster.Denoising.Configuration;

/// <summary>Encoder widths, shallowest level first, and the channels of the latent bottleneck.</summary>
public sealed record EncoderConfig(IReadOnlyList<int> Features, int LatentChannels);
