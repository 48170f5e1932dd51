using SweepCluster.Denoising.Configuration;
using SweepCluster.Denoising.Runtime;
using System.Collections;
using TorchSharp;
using TorchSharp.PyBridge;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Models;

/// <summary>
/// The Contrast2Contrast generator: one shared encoder and a decoder per contrast, arranged by
/// <c>model.architecture</c>:
/// <list type="bullet">
/// <item><c>shared</c>: <c>decoder_a</c> and <c>decoder_b</c> decode both the same-domain and the cross-domain latent.</item>
/// <item><c>separate</c> (Solution 1): <c>decoder_a_same</c>/<c>decoder_b_same</c> reconstruct within a domain (with
/// skips per <c>same_domain_use_skip</c>); <c>decoder_a_cross</c>/<c>decoder_b_cross</c> translate across domains and
/// are built without skip inputs, so <c>cross_skips</c> does not apply to them.</item>
/// <item><c>noise_aware</c> (Solution 4): the encoder has a content head (<c>latent_channels</c>) and a noise head
/// (<c>noise_channels</c>); each decoder's <c>expand</c> reads latent + noise channels. Same-domain decoding reads
/// <c>cat[z_content, z_noise]</c>; cross-domain decoding reads <c>cat[z_content_other, 0]</c>: the noise channels are
/// zero-filled, which is exactly "decode from the content alone" for the 1x1 expand (zero inputs contribute nothing
/// but its bias), while one decoder serves both paths.</item>
/// </list>
/// <para>
/// Cross-domain skips (<c>trainer.cross_skips</c>), for <c>x_a_from_b = decoder_a(z_b, ...)</c>, whose input is image b
/// and whose target is contrast a: <c>input</c> gives skips_b (and identity_b), <c>target</c> skips_a (identity_a),
/// <c>none</c> nothing (concat blocks concatenate zeros), <c>zeros</c> explicit zero tensors of the skips' shapes (like
/// concat's zeros, and also for additive blocks, no identity), <c>mixed</c> <c>alpha * skips_a + (1 - alpha) * skips_b</c>
/// (and the same mix of identities). Symmetrically for <c>x_b_from_a</c>. The identity residual is passed only when
/// <c>model.identity</c> is set, and always with the skips it belongs to.
/// </para>
/// </summary>
public sealed class C2CModel : nn.Module<Tensor, Tensor, C2COutputs>
{
    private readonly ModelConfig _model;
    private readonly TrainerConfig _trainer;
    private readonly UNetDecoder _decoderA;
    private readonly UNetDecoder _decoderB;
    private readonly UNetDecoder _crossA;
    private readonly UNetDecoder _crossB;

    /// <summary>Builds the networks from the global generator (seed it first for a reproducible start).</summary>
    public C2CModel(ModelConfig model, TrainerConfig trainer, int channels)
        : base(nameof(C2CModel))
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainer);
        _model = model;
        _trainer = trainer;
        var noiseChannels = model.Architecture == ModelArchitecture.NoiseAware ? model.NoiseChannels : 0;
        NoiseChannels = noiseChannels;
        // model.complex: the channel halves [real, imag] are the real and imaginary parts of complex channels.
        var imageChannels = model.Complex ? channels / 2 : channels;
        // Registered by hand, not by RegisterComponents: the state-dict names depend on the architecture, and the
        // shared architecture's decoders are the same modules under two fields.
        Encoder = new UNetEncoder(imageChannels, model.Encoder.Features, model.Encoder.LatentChannels, noiseChannels, model.Complex);
        register_module("encoder", Encoder);
        var encoderFeatures = model.Encoder.Features;
        UNetDecoder Build(DecoderConfig d, bool takesSkips) =>
            new(d.LatentChannels + noiseChannels, d.Features, encoderFeatures, imageChannels, model.SkipMode, model.SkipWeight, takesSkips, model.MissingSkipWidth, model.Complex);
        UNetDecoder Register(string name, UNetDecoder decoder)
        {
            register_module(name, decoder);
            return decoder;
        }


        if (model.Architecture == ModelArchitecture.Separate)
        {
            _decoderA = Register("decoder_a_same", Build(model.DecoderA, takesSkips: true));
            _crossA = Register("decoder_a_cross", Build(model.DecoderA, takesSkips: false));
            _decoderB = Register("decoder_b_same", Build(model.DecoderB, takesSkips: true));
            _crossB = Register("decoder_b_cross", Build(model.DecoderB, takesSkips: false));
        }
        else
        {
            _decoderA = _crossA = Register("decoder_a", Build(model.DecoderA, takesSkips: true));
            _decoderB = _crossB = Register("decoder_b", Build(model.DecoderB, takesSkips: true));
        }

        if (model.Identity && model.IdentityInit == IdentityInit.ZeroDecoder)
        {
            using var noGrad = no_grad();
            foreach (var decoder in new[] { _decoderA, _decoderB, _crossA, _crossB }.Distinct())
            {
                foreach (var parameter in decoder.parameters())
                {
                    parameter.zero_();
                }
            }
        }
    }

    public UNetEncoder Encoder { get; }

    /// <summary>Channels of the noise latent (0 unless noise-aware).</summary>
    public int NoiseChannels { get; }

    /// <summary>
    /// Parameters grouped as the measurements report them: <c>encoder</c>, <c>decoder_a</c> (for <c>separate</c>, its
    /// same and cross decoders together) and <c>decoder_b</c>.
    /// </summary>
    public IReadOnlyList<(string Name, IReadOnlyList<Tensor> Parameters)> ParameterGroups()
    {
        static IReadOnlyList<Tensor> Of(nn.Module module) => [.. module.parameters()];
        var groups = new List<(string, IReadOnlyList<Tensor>)> { ("encoder", Of(Encoder)) };
        groups.Add(("decoder_a", ReferenceEquals(_decoderA, _crossA) ? Of(_decoderA) : [.. Of(_decoderA), .. Of(_crossA)]));
        groups.Add(("decoder_b", ReferenceEquals(_decoderB, _crossB) ? Of(_decoderB) : [.. Of(_decoderB), .. Of(_crossB)]));
        return groups;
    }

    /// <summary>
    /// Loads a state dict PyTorch saved (<c>torch.save(model.state_dict(), path)</c>) into these modules, in place and
    /// strictly: every name and shape must match. The parameters stay the same tensors (optimizers keep working).
    /// </summary>
    public void LoadPyTorchWeights(string path)
    {
        Hashtable state;
        using (var stream = File.OpenRead(path))
        {
            state = PyTorchUnpickler.UnpickleStateDict(stream);
        }

        var tensors = state.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!, StringComparer.Ordinal);
        try
        {
            load_state_dict(tensors, strict: true);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Encodes both inputs, then decodes the same-domain and the cross-domain images.</summary>
    public override C2COutputs forward(Tensor xA, Tensor xB)
    {
        var a = Encoder.forward(xA);
        var b = Encoder.forward(xB);
        return new C2COutputs(a, b, DecodeSame(_decoderA, a), DecodeSame(_decoderB, b), DecodeCross(_crossA, b, a), DecodeCross(_crossB, a, b))
        {
            Complex = _model.Complex,
        };
    }

    /// <summary>Same-domain decoding: skips and identity of the input itself unless <c>same_domain_use_skip</c> is off.</summary>
    public Tensor DecodeSame(UNetDecoder decoder, EncoderOutput encoded)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(encoded);
        var latent = encoded.ZNoise is null ? encoded.Z : cat([encoded.Z, encoded.ZNoise], 1);
        return _trainer.SameDomainUseSkip
            ? decoder.forward(latent, encoded.Skips, _model.Identity ? encoded.Identity : null)
            : decoder.forward(latent, null, null);
    }

    /// <summary>Same-domain decoding by contrast a's decoder (the supervised reference's path).</summary>
    public Tensor DecodeSameA(EncoderOutput encoded) => DecodeSame(_decoderA, encoded);

    /// <summary>Same-domain decoding by contrast b's decoder.</summary>
    public Tensor DecodeSameB(EncoderOutput encoded) => DecodeSame(_decoderB, encoded);

    /// <summary>Decodes <paramref name="input"/>'s latent into the domain of <paramref name="domain"/>.</summary>
    private Tensor DecodeCross(UNetDecoder decoder, EncoderOutput input, EncoderOutput domain)
    {
        var latent = input.ZNoise is null
            ? input.Z
            : cat([input.Z, zeros_like(input.ZNoise)], 1);
        if (!decoder.TakesSkips)
        {
            return decoder.forward(latent, null, null);
        }

        var identity = _model.Identity;
        switch (_trainer.CrossSkips)
        {
            case CrossSkips.Target:
                return decoder.forward(latent, domain.Skips, identity ? domain.Identity : null);
            case CrossSkips.Input:
                return decoder.forward(latent, input.Skips, identity ? input.Identity : null);
            case CrossSkips.Zeros:
                return decoder.forward(latent, [.. domain.Skips.Select(s => zeros_like(s))], null);
            case CrossSkips.Mixed:
                var alpha = _trainer.MixedAlpha;
                var mixed = domain.Skips.Select((s, i) => s.Times(alpha).Plus(input.Skips[i].Times(1 - alpha))).ToList();
                return decoder.forward(latent, mixed, identity ? domain.Identity.Times(alpha).Plus(input.Identity.Times(1 - alpha)) : null);
            default:
                return decoder.forward(latent, null, null);
        }
    }
}
