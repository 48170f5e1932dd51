namespace SweepCluster.Denoising.Configuration;

/// <summary>The <c>model</c> section of a trial.</summary>
/// <param name="SkipWeight">Weight of the skip in additive Up blocks; ignored by <see cref="SkipMode.Concat"/>.</param>
/// <param name="Identity">Residual identity mapping: the output adds the input.</param>
/// <param name="IdentityInit">How the decoders start when <paramref name="Identity"/> is on.</param>
/// <param name="MissingSkipWidth">The width of the zeros a concat block uses in place of a missing skip.</param>
/// <param name="NoiseChannels">Channels of the noise head; used by <see cref="ModelArchitecture.NoiseAware"/> only.</param>
/// <param name="Complex">
/// A complex-valued network that reads two channels [real, imag] as one complex image (docs/trial-config.md, "The
/// complex network").
/// </param>
public sealed record ModelConfig(
    ModelArchitecture Architecture,
    EncoderConfig Encoder,
    DecoderConfig DecoderA,
    DecoderConfig DecoderB,
    SkipMode SkipMode,
    double SkipWeight,
    bool Identity,
    IdentityInit IdentityInit,
    MissingSkipWidth MissingSkipWidth,
    int NoiseChannels,
    DiscriminatorConfig Discriminator,
    bool Complex = false);
