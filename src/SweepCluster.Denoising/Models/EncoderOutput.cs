using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// What the encoder returns for one input: the latent <paramref name="Z"/> (the content latent of the noise-aware
/// encoder), the DoubleConv output of every level (shallowest first, <paramref name="Skips"/>), the input itself
/// (<paramref name="Identity"/>) and, for the noise-aware encoder only, the noise latent.
/// </summary>
public sealed record EncoderOutput(Tensor Z, IReadOnlyList<Tensor> Skips, Tensor Identity, Tensor? ZNoise);
