namespace SweepCluster.Denoising.Configuration;

/// <summary>
/// Whose encoder features the cross-domain decoder receives (<c>trainer.cross_skips</c>). For
/// <c>x_a_from_b = decoder_a(z_b, ...)</c>, the <em>input</em> is image b (the image being encoded) and the
/// <em>target</em> is contrast a (the contrast being predicted, whose noisy image the cross loss compares against).
/// </summary>
public enum CrossSkips
{
    /// <summary>The skips (and identity) of the input image: <c>decoder_a(z_b, skips_b)</c>.</summary>
    Input,

    /// <summary>The skips (and identity) of the target contrast's image: <c>decoder_a(z_b, skips_a)</c>.</summary>
    Target,

    /// <summary>No skips: concat blocks concatenate zeros, additive blocks add nothing.</summary>
    None,

    /// <summary>Explicit zero tensors of the skips' shapes (also for additive blocks), no identity.</summary>
    Zeros,

    /// <summary><c>mixed_alpha * target skips + (1 - mixed_alpha) * input skips</c>, and the same mix of identities.</summary>
    Mixed,
}
