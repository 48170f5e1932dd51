namespace SweepCluster.Denoising.Configuration;

/// <summary>Decoder widths, deepest level first, and the channels of the latent it expands.</summary>
public sealed record DecoderConfig(IReadOnlyList<int> Features, int LatentChannels);
