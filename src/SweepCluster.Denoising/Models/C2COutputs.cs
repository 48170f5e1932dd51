using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// One forward pass of the pair: the encodings of both inputs and the four decoded images
/// (<c>x_a_recon = decoder_a(z_a)</c>, <c>x_a_from_b = decoder_a(z_b)</c>, and the same for b).
/// </summary>
public sealed record C2COutputs(
    EncoderOutput EncodedA,
    EncoderOutput EncodedB,
    Tensor XARecon,
    Tensor XBRecon,
    Tensor XAFromB,
    Tensor XBFromA)
{
    /// <summary>
    /// Whether the images are complex, as real channel halves [real, imag] (<c>model.complex</c>): the pixel losses
    /// then measure the complex difference by its modulus.
    /// </summary>
    public bool Complex { get; init; }
}
